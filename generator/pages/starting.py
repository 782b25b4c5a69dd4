"""The "Bắt đầu" pages: one short page per role in the yearly cycle (the assessed unit, the
appraisal team, the summarising office), each step with a screenshot of the real page.

The screenshots are static files of the docs folder (`bat-dau/anh/<name>.png`), taken from
the built site and kept true by the browser test e2e/test_getting_started.py. SHOTS names each
one with its Vietnamese alt text: the pages show exactly these, and the test takes exactly
these, so neither can name a picture the other does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .markup import md_escape

FOLDER = "bat-dau"
"""Folder of the pages in the site."""
IMAGES = f"{FOLDER}/anh"
"""Folder of the screenshots, inside the docs folder."""
NAV_TITLE = "Bắt đầu"
EXPORTED = "danh-gia-tu-cham-ubnd-xa-nghia-tru-2026-11-10.json"
"""The exported file the unit's page names: the one the pictures' unit exports on their date
(the browser test checks it)."""


@dataclass(frozen=True, slots=True)
class Role:
    """One role's page."""

    slug: str
    """The page's name: bat-dau/<slug>.md."""
    title: str
    """Its title in the navigation and on the home page."""
    template: str
    """Its template (generator/pages/templates/)."""

    @property
    def src_uri(self) -> str:
        """The page's path in the docs folder."""
        return f"{FOLDER}/{self.slug}.md"


ROLES = (
    Role("don-vi", "Đơn vị được đánh giá", "bat-dau-don-vi.md.j2"),
    Role("doan-tham-dinh", "Đoàn thẩm định", "bat-dau-tham-dinh.md.j2"),
    Role("co-quan-tong-hop", "Cơ quan tổng hợp", "bat-dau-tong-hop.md.j2"),
)

SHOTS = {
    "don-vi-ten": "Khung “Đơn vị được đánh giá” đã ghi tên đơn vị, chọn loại đơn vị và năm"
    " đánh giá",
    "don-vi-cham-muc": "Một mục của phiếu: ô “Tự chấm” có điểm, ô “Tài liệu kiểm chứng” đã ghi"
    " tên văn bản",
    "don-vi-tu-luu": "Dòng “Đã tự lưu lúc …”, các nút “Phiếu mới”, “Xuất tệp JSON”, “Nhập tệp"
    " JSON” và lời nhắc xuất tệp",
    "don-vi-ket-qua": "Bảng “Kết quả” với tổng điểm tự chấm, và ô “Mức xếp loại đơn vị đề nghị”",
    "don-vi-nut-in": "Các nút “In bảng chấm điểm”, “In báo cáo” và hai nút tải tệp Word",
    "don-vi-ban-in": "Phần đầu bản in BẢNG CHẤM ĐIỂM với điểm tự chấm và tài liệu kiểm chứng",
    "tham-dinh-nhap-tep": "Thông báo sau khi bấm “Nhập tệp JSON”: tệp của đơn vị đã được mở"
    " thành một phiếu mới",
    "tham-dinh-che-do": "Ô “Chế độ thẩm định” đã bật và nút “Chép điểm tự chấm vào các ô thẩm"
    " định còn trống”",
    "tham-dinh-cham-muc": "Một mục có hai cột: điểm “Tự chấm” của đơn vị và điểm “Thẩm định”",
    "tham-dinh-ket-qua": "Bảng “Kết quả” với ba dòng: Tự chấm, Thẩm định, Kết quả cuối cùng",
    "tham-dinh-ban-in": "Phần đầu bản in BẢNG CHẤM ĐIỂM có cột “Kết quả chấm điểm của cơ quan có"
    " thẩm quyền”",
    "tong-hop-ket-qua": "Đầu phần “Kết quả tổng hợp”: số tệp đã đọc, số đơn vị được tổng hợp",
    "tong-hop-xep-hang": "“Bảng xếp hạng các đơn vị”: hạng, đơn vị, kết quả cuối cùng, trạng thái",
    "tong-hop-bieu-do": "Biểu đồ phân bố tổng điểm và biểu đồ điểm trung bình của từng tiêu chí",
    "tong-hop-tai-in": "Các nút “Tải bảng CSV”, “Tải bảng Excel” và “In bảng tổng hợp”",
}
"""Every screenshot: its file's stem in IMAGES → its alt text."""


def shot(name: str) -> Markup:
    """A screenshot in a page of FOLDER: a Markdown image with its alt text (and a border)."""
    if name not in SHOTS:
        raise ValueError(f"unknown screenshot {name!r} (generator/pages/starting.py SHOTS)")
    path = f"anh/{name}.png"
    return Markup(f"![{md_escape(SHOTS[name])}]({path}){{ .td-shot loading=lazy }}")
