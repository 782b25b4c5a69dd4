"""Generate the thangdiem documentation site from the rubrics; the `thangdiem` command."""
