"""The format reference of the authors' guide: one table per class of the rubric format, read
from the model (types, defaults, docstrings), with a Vietnamese description of every class and
field.

Every class and field of scoring_py/model.py must have a Vietnamese description here
(tests/test_site.py checks it), so the authors' guide never drifts from the model.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from markupsafe import Markup

from scoring_py import model
from scoring_py.codec import is_optional, type_hints

from ..schema import field_docs

CLASS_VI: dict[str, str] = {
    "Rubric": "Một bộ tiêu chí, thang điểm chính thức và những gì văn bản nguồn nói quanh nó.",
    "LegalDocument": "Văn bản pháp lý ban hành thang điểm.",
    "UnitType": "Một loại đơn vị được đánh giá, dùng cho các mục chỉ áp dụng với một số loại.",
    "Criterion": "Một tiêu chí, gồm các mục chấm điểm.",
    "Item": "Một mục chấm điểm (tiêu chí thành phần).",
    "Level": "Một mức của mục chấm kiểu chọn một trong nhiều mức.",
    "Threshold": (
        "Một ngưỡng của mục chấm theo tỷ lệ tính điểm theo ngưỡng (đạt từ … % được … điểm)."
    ),
    "RatioSteps": (
        "Điểm theo nấc của mục chấm theo tỷ lệ, tính từ một ngưỡng khởi điểm (“từ 10% đến 20%"
        " được 1 điểm; mỗi 5% tiếp theo cộng 0,25 điểm”), không vượt điểm tối đa của mục."
    ),
    "LevelPoints": (
        "Số điểm của một mức (mục chấm kiểu chọn mức) cho một số loại đơn vị (xem ItemVariant)."
    ),
    "ItemVariant": (
        "Điểm khác của một mục cho một số loại đơn vị, khi văn bản nguồn cho cùng một mục điểm"
        " tối đa khác nhau (xã 2 điểm, phường 1 điểm). Điều gì biến thể không nêu thì lấy theo"
        " mục."
    ),
    "CriterionVariant": (
        "Điểm tối đa khác của một tiêu chí cho một số loại đơn vị, khi điểm tối đa các mục của"
        " nó khác nhau theo loại đơn vị và văn bản nguồn ghi điểm tối đa của tiêu chí theo loại."
    ),
    "Evidence": "Tài liệu kiểm chứng: những gì phải có để chứng minh cho điểm đã chấm.",
    "Rounding": "Cách làm tròn một số điểm tính ra.",
    "Field": "Lĩnh vực: một cấp nhóm tùy chọn, đứng trên các tiêu chí.",
    "Band": ("Một mức xếp loại: cận dưới được tính vào mức, cận trên không được tính vào mức."),
    "Trigger": (
        "Quy tắc theo điểm làm một điều kiện xếp loại tự xảy ra: một tiêu chí hoặc một mục dưới"
        " một tỷ lệ điểm tối đa của nó, hoặc một mục từ một số điểm trở xuống. Điều kiện thêm"
        " của một mức (“xuất sắc” còn phải đạt tiêu chí 3 từ 80% trở lên) viết thành một điều"
        " kiện “cap” ở mức liền dưới khi tiêu chí 3 dưới 80%."
    ),
    "Override": (
        "Một điều kiện làm thay đổi kết quả xếp loại, bất kể tổng điểm: câu hỏi có/không, hoặc"
        " quy tắc theo điểm (`when`)."
    ),
    "BandQuota": (
        "Hạn mức của một mức xếp loại giữa các đơn vị, áp dụng khi tổng hợp (như quy định"
        " “hoàn thành xuất sắc” không vượt quá 20% số được xếp loại “hoàn thành tốt”): trong mỗi"
        " nhóm, đơn vị vượt hạn mức (điểm thấp nhất trước; bằng điểm ở ngưỡng thì cùng chuyển)"
        " được chuyển xuống mức liền dưới."
    ),
    "NotApplicableRule": (
        "Cách tính tổng điểm khi có mục không áp dụng với đơn vị hoặc “không phát sinh”."
    ),
    "IndexRule": (
        "Kết quả dưới dạng chỉ số (%) trên điểm tối đa áp dụng cho đơn vị, như các chỉ số cải"
        " cách hành chính được công bố: tổng điểm ÷ điểm tối đa của các mục áp dụng × 100 (khi"
        " quy đổi theo tỷ lệ thì tổng điểm đã quy đổi ÷ `total` × 100)."
    ),
    "WorkflowStep": (
        "Một bước trong chu trình hằng năm (tự đánh giá, thẩm định, quyết định, tổng hợp)."
    ),
}
"""One sentence per model class."""

FIELD_VI: dict[str, dict[str, str]] = {
    "Rubric": {
        "format": "Phiên bản của định dạng tệp thang điểm; hiện phải là 1.",
        "id": "Mã thang điểm: đúng tên tệp, bỏ đuôi “.yaml”, ví dụ “hung-yen-2020”.",
        "version": (
            "Phiên bản dữ liệu của thang điểm này, ví dụ “2022.1”; mỗi tệp đánh giá ghi lại"
            " phiên bản đã dùng."
        ),
        "title": "Tên thang điểm hiển thị cho người dùng.",
        "province": "Tỉnh, thành phố ban hành thang điểm.",
        "legal": "Văn bản pháp lý ban hành thang điểm.",
        "scope": "Đối tượng được đánh giá.",
        "total": "Tổng điểm tối đa của các tiêu chí thuộc phần điểm chính (thường là 100).",
        "criteria": "Các tiêu chí, theo đúng thứ tự trong văn bản nguồn.",
        "purpose": "Mục đích của việc đánh giá.",
        "subject": (
            "Nội dung được đánh giá, như bản in ghi sau “Kết quả thực hiện” và “Tự đánh giá, xếp"
            " loại”, ví dụ “công tác dân vận chính quyền” hoặc “công tác cải cách hành chính”."
        ),
        "table_title": "Tiêu đề của bảng chấm điểm khi in, như văn bản nguồn ghi.",
        "report_title": "Tiêu đề của báo cáo tự đánh giá khi in, như văn bản nguồn ghi.",
        "unit_types": "Các loại đơn vị được đánh giá; cần khi có mục dùng `applies_to`.",
        "default_step": "Bước chấm nhỏ nhất của mục chấm tự do khi mục không tự nêu bước.",
        "evidence": (
            "Mức yêu cầu tài liệu kiểm chứng của mọi mục không tự nêu: “required” (không có tài"
            " liệu kiểm chứng thì không được tính điểm), “expected” (cần có; thiếu thì có cảnh báo"
            " và phải ghi giải trình) hoặc “none” (không yêu cầu); null thì theo"
            " `evidence_required`."
        ),
        "evidence_required": (
            "Cách ghi cũ của `evidence`: true đọc là “expected”, false đọc là “none”."
        ),
        "fields": (
            "Cách nhóm các tiêu chí vào lĩnh vực (tùy chọn); mỗi lĩnh vực có điểm tối đa và điểm"
            " cộng riêng."
        ),
        "numbering": (
            "Cách đánh số: “criteria” (tiêu chí 1, 2, …; mục “n.k”) hoặc “fields” (ba cấp như"
            " các bộ chỉ số cải cách hành chính: lĩnh vực “1”, “2”, …; tiêu chí “1.1”, “1.2”, …;"
            " tiêu chí thành phần “1.1.1”, …), khi đó cần `fields` và các tiêu chí xếp theo thứ"
            " tự lĩnh vực."
        ),
        "bands": (
            "Các mức xếp loại, phủ kín từ 0 đến tổng điểm; để trống khi văn bản nguồn không"
            " nêu mức nào."
        ),
        "bands_note": (
            "Văn bản nguồn nói gì, hoặc không nói gì, về mức xếp loại (bắt buộc khi `bands`"
            " để trống)."
        ),
        "overrides": "Các điều kiện buộc, giới hạn hoặc không cho xếp loại.",
        "quota": "Hạn mức của một mức xếp loại giữa các đơn vị, áp dụng khi tổng hợp.",
        "not_applicable": "Quy tắc quy đổi tổng điểm; bắt buộc khi có mục có thể không áp dụng.",
        "index": (
            "Hiện kết quả cả dưới dạng chỉ số phần trăm (xem IndexRule); null thì chỉ hiện số điểm."
        ),
        "bonus_above_total": (
            "Điểm thưởng có được đưa tổng điểm vượt `total` hay không (nếu không, tổng điểm"
            " dừng ở `total`)."
        ),
        "workflow": "Chu trình hằng năm và các thời hạn.",
        "references": "Các văn bản khác mà văn bản nguồn dẫn chiếu.",
        "source_gaps": (
            "Những điều văn bản nguồn không nêu, nói rõ từng điều (hiển thị trên các trang"
            " của thang điểm)."
        ),
    },
    "LegalDocument": {
        "number": "Số hiệu văn bản, ví dụ “02/2020/QĐ-UBND”.",
        "title": "Trích yếu: tên văn bản như khi ban hành.",
        "issuer": "Cơ quan ban hành, ví dụ “UBND tỉnh Hưng Yên”.",
        "status": (
            "Tình trạng: “in_force” (còn hiệu lực), “replaced” (đã được thay thế) hoặc"
            " “draft” (dự thảo)."
        ),
        "source": (
            "Nơi lấy nội dung thang điểm: tên một tệp trong `rubrics/sources/` hoặc một địa chỉ."
        ),
        "date": "Ngày ban hành, dạng YYYY-MM-DD; null khi nguồn không nêu.",
        "effective": "Ngày có hiệu lực, dạng YYYY-MM-DD; null khi nguồn không nêu.",
        "replaces": "Văn bản mà văn bản này thay thế, ghi như nguồn dẫn.",
        "replaced_by": "Văn bản đã thay thế văn bản này, nếu biết.",
    },
    "UnitType": {
        "id": ("Mã ngắn dùng trong `applies_to` và trong tệp đánh giá, ví dụ “xa”."),
        "name": "Tên hiển thị, ví dụ “UBND xã, phường, thị trấn”.",
    },
    "Criterion": {
        "id": (
            "Số thứ tự của tiêu chí trong văn bản nguồn: “1”, “2”, …; đánh số ba cấp thì"
            " “f.n”: tiêu chí thứ n của lĩnh vực f."
        ),
        "title": "Tên đầy đủ của tiêu chí.",
        "max": (
            "Điểm tối đa: với phần “base”, bằng tổng điểm tối đa các mục (trừ khi có `capped`);"
            " với “bonus”/“penalty”, là mức trần."
        ),
        "items": "Các mục chấm điểm, theo đúng thứ tự trong văn bản nguồn.",
        "section": (
            "Phần: “base” (tính vào `total`), “bonus” (điểm thưởng, cộng thêm) hoặc"
            " “penalty” (điểm trừ), có trần là `max`."
        ),
        "capped": (
            "Với “base”: `max` nhỏ hơn tổng điểm tối đa các mục và là trần điểm của tiêu chí"
            " (văn bản nguồn ghi “tối đa N điểm”); phần điểm các mục vượt trần không được tính."
        ),
        "by_unit_type": (
            "Điểm tối đa của tiêu chí cho một số loại đơn vị, khi điểm tối đa các mục khác nhau"
            " theo loại; các loại khác lấy `max`."
        ),
        "guidance": (
            "Những nội dung báo cáo cần nêu cho tiêu chí này (đề cương), mỗi ý một dòng, trích"
            " nguyên văn văn bản nguồn."
        ),
        "report_help": (
            "Gợi ý của người soạn thang điểm về cách viết báo cáo, không phải lời văn bản nguồn:"
            " trang hướng dẫn hiện riêng, tách khỏi phần trích `guidance`."
        ),
        "note": "Ghi chú về văn bản nguồn.",
    },
    "Item": {
        "id": (
            "“n.k”: mục thứ k của tiêu chí n (đánh số ba cấp thì “f.n.k”), đánh số như văn bản"
            " nguồn."
        ),
        "text": "Nội dung đầy đủ của mục, như trong văn bản nguồn.",
        "max": "Điểm tối đa (thang điểm) của mục.",
        "kind": (
            "Cách chấm: “score” (chấm tự do từ 0 đến tối đa theo bước), “choice” (chọn một"
            " mức trong `levels`), “yesno” (có: tối đa, không: 0), “ratio” (tử số/mẫu số ×"
            " tối đa, hoặc theo `thresholds`, `ratio_steps`), “steps” (`per_unit` cho mỗi"
            " lần, có trần) hoặc “deduction” (tối đa trừ `per_unit` mỗi lần, không dưới 0)."
        ),
        "step": "Với “score”: bước chấm nhỏ nhất; null thì lấy `default_step` của thang điểm.",
        "levels": "Với “choice”: các mức, theo thứ tự trong văn bản nguồn.",
        "per_unit": "Với “steps” và “deduction”: số điểm cho mỗi lần.",
        "counts": "Với “steps”, “deduction” và “ratio”: đếm cái gì, ví dụ “vụ vi phạm”.",
        "denominator": "Với “ratio”: mẫu số đếm cái gì, ví dụ “hồ sơ tiếp nhận”.",
        "rounding": (
            "Với “ratio” không có `thresholds` hay `ratio_steps`: cách làm tròn tử số/mẫu số ×"
            " tối đa (khi đó bắt buộc)."
        ),
        "thresholds": (
            "Với “ratio”: tính điểm theo ngưỡng của tỷ lệ thay vì theo tỷ lệ thuận, ngưỡng cao"
            " nhất ghi trước (một ngưỡng phải cho đúng `max`); tỷ lệ dưới ngưỡng thấp nhất được"
            " 0 điểm."
        ),
        "ratio_steps": (
            "Với “ratio”: tính điểm theo nấc, từ một ngưỡng khởi điểm, thay vì theo tỷ lệ thuận."
        ),
        "given_by": (
            "Ai chấm mục này: “unit” (đơn vị tự chấm), chỉ “appraiser” (đoàn thẩm định), chỉ"
            " “superior” (cấp trên), hoặc “survey” (điểm cấp tỉnh nhập theo kết quả điều tra xã"
            " hội học, ở cột thẩm định)."
        ),
        "applies_to": "Các mã loại đơn vị mà mục áp dụng; để trống là áp dụng cho mọi loại.",
        "by_unit_type": (
            "Điểm tối đa và số điểm khác cho một số loại đơn vị (xem ItemVariant); `max` và số"
            " điểm của chính mục là cho mọi loại còn lại."
        ),
        "zero_denominator": (
            "Với “ratio”: mẫu số bằng 0 (0 trên 0) nghĩa là gì: “invalid” (lỗi, không có gì để"
            " chia) hoặc “not_applicable” (văn bản nguồn coi là “không phát sinh”: mục không tính"
            " vào điểm tối đa và áp dụng quy tắc `not_applicable`). Tử số lớn hơn 0 trên mẫu số"
            " 0 luôn là lỗi."
        ),
        "may_be_not_applicable": (
            "Đơn vị có được đánh dấu mục là “không phát sinh” (năm đó không có việc để"
            " đánh giá) hay không."
        ),
        "evidence": (
            "Yêu cầu tài liệu kiểm chứng của mục; null thì theo `evidence` của thang điểm."
        ),
        "guidance": "Báo cáo cần nêu gì về mục này.",
        "note": "Ghi chú về văn bản nguồn (ví dụ điều nguồn không nêu).",
    },
    "Level": {
        "id": "“n.k.j”: mức thứ j của mục n.k, đánh số như văn bản nguồn.",
        "text": "Nội dung đầy đủ của mức.",
        "points": "Số điểm khi chọn mức này (từ 0 đến điểm tối đa của mục).",
    },
    "LevelPoints": {
        "id": "Mã của mức, như trong `levels` của mục.",
        "points": "Số điểm khi một đơn vị thuộc các loại này chọn mức này.",
    },
    "ItemVariant": {
        "unit_types": (
            "Mã các loại đơn vị (trong `unit_types`) dùng số điểm này; mỗi loại chỉ ở một biến thể."
        ),
        "max": "Điểm tối đa của mục cho các loại đơn vị này.",
        "levels": "Với “choice”: điểm của mọi mức cho các loại này, theo thứ tự `levels` của mục.",
        "per_unit": "Với “steps” và “deduction”: số điểm mỗi lần cho các loại này.",
        "thresholds": "Với “ratio” chấm theo ngưỡng: các ngưỡng cho các loại này.",
        "ratio_steps": "Với “ratio” chấm theo nấc: các nấc cho các loại này.",
    },
    "CriterionVariant": {
        "unit_types": "Mã các loại đơn vị dùng điểm tối đa này.",
        "max": "Điểm tối đa của tiêu chí cho các loại đơn vị này.",
    },
    "Threshold": {
        "at_least": (
            "Tỷ lệ thấp nhất được số điểm này, tính bằng phần trăm (gồm cả ngưỡng): 80 là 80%."
        ),
        "points": "Số điểm từ ngưỡng này đến dưới ngưỡng cao hơn liền trên.",
    },
    "RatioSteps": {
        "start": (
            "Tỷ lệ thấp nhất bắt đầu có điểm, tính bằng phần trăm (gồm cả ngưỡng); dưới đó mục"
            " được 0 điểm."
        ),
        "points": "Số điểm từ `start` đến `flat_until`.",
        "every": "Độ rộng một nấc, tính bằng phần trăm: mỗi nấc đủ trên `flat_until` cộng `add`.",
        "add": "Số điểm cộng thêm cho mỗi nấc đủ `every` phần trăm.",
        "flat_until": (
            "Tỷ lệ (phần trăm, gồm cả ngưỡng) mà đến đó vẫn được `points`, và từ đó bắt đầu đếm"
            " nấc; null là bằng `start`."
        ),
    },
    "Evidence": {
        "strength": (
            "“required” (không có tài liệu kiểm chứng thì không được tính điểm: điểm tự chấm của"
            " mục được tính 0; giải trình không thay được tài liệu), “expected” (cần có tài liệu;"
            " thiếu thì điểm vẫn được tính nhưng có cảnh báo và phải ghi giải trình) hoặc “none”"
            " (không yêu cầu). Ghi khóa này hoặc `required`."
        ),
        "required": "Cách ghi cũ của `strength`: true đọc là “expected”, false đọc là “none”.",
        "prepare": "Các tài liệu cần chuẩn bị, mỗi tài liệu một dòng.",
    },
    "Rounding": {
        "step": "Làm tròn đến bội số của số điểm này, ví dụ 0.01 hoặc 0.5.",
        "mode": (
            "Kiểu làm tròn: “half_up” (từ nửa bước trở lên thì làm tròn lên), “half_even”"
            " (đúng nửa bước thì về bội số chẵn của bước: với bước 0,5, 1,25 → 1 và 1,75 → 2),"
            " “down” (làm tròn về phía 0) hoặc “up” (làm tròn ra xa 0)."
        ),
    },
    "Field": {
        "id": "Mã lĩnh vực, ví dụ “A”; đánh số ba cấp thì “1”, “2”, … theo thứ tự.",
        "title": "Tên lĩnh vực.",
        "criteria": "Mã các tiêu chí thuộc lĩnh vực.",
        "max": (
            "Điểm tối đa của lĩnh vực như văn bản nguồn ghi: phải bằng tổng điểm tối đa các tiêu"
            " chí phần chính thuộc lĩnh vực; bỏ trống thì lấy tổng đó. Điểm của lĩnh vực là tổng"
            " điểm các tiêu chí phần chính thuộc lĩnh vực (điểm thưởng, điểm trừ chỉ tính vào"
            " tổng điểm)."
        ),
    },
    "Band": {
        "id": "Mã ngắn, ví dụ “tot”.",
        "name": "Tên mức như trong văn bản nguồn, ví dụ “Hoàn thành tốt”.",
        "min": "Cận dưới, được tính vào mức.",
        "max": "Cận trên, không được tính vào mức; null ở mức cao nhất (gồm cả điểm tối đa).",
        "stated": (
            "false khi văn bản nguồn không nêu ngưỡng của mức này (hoặc nêu khoảng điểm mà không"
            " nêu mức): `min`, `max` khi đó chỉ là khoảng điểm chứa mức, và các mức cùng không"
            " được nêu ngưỡng có thể chung một khoảng (ví dụ “trung bình” và “yếu” cùng dưới 75"
            " điểm). Điểm rơi vào khoảng này không được xếp loại; không tự đặt ra con số."
        ),
        "note": "Văn bản nguồn nói gì về mức này (ví dụ điều kiện xét danh hiệu thi đua).",
    },
    "Trigger": {
        "criterion": "Mã tiêu chí được so điểm.",
        "item": "Mã mục được so điểm.",
        "below_percent": (
            "Xảy ra khi điểm dưới tỷ lệ này của điểm tối đa (áp dụng cho đơn vị), tính bằng phần"
            " trăm: 80 là 80%."
        ),
        "at_most": (
            "Xảy ra khi điểm không quá số này (0: mục không được điểm nào). Chỉ dùng với mục."
        ),
    },
    "Override": {
        "id": "Mã ngắn, dùng làm khóa trong tệp đánh giá.",
        "question": "Câu hỏi có/không, hỏi đơn vị; có câu hỏi thì không có `when`.",
        "when": (
            "Quy tắc theo điểm làm điều kiện tự xảy ra, thay cho câu hỏi: xét khi mọi mục liên"
            " quan đã được chấm, không ai phải trả lời."
        ),
        "effect": (
            "Tác động: “force” (xếp đúng mức `band`), “cap” (cao nhất là mức `band`) hoặc"
            " “unclassifiable” (không đủ điều kiện xếp loại)."
        ),
        "reason": "Lý do hiển thị cùng kết quả khi điều kiện xảy ra.",
        "band": "Với “force” và “cap”: mã mức xếp loại.",
    },
    "BandQuota": {
        "band": "Mã mức xếp loại bị giới hạn (ví dụ “xuat-sac”).",
        "percent": (
            "Nhiều nhất bằng tỷ lệ này (phần trăm) của số đơn vị được tính (`of`), làm tròn"
            " xuống thành số nguyên đơn vị."
        ),
        "of": "Mã mức làm cơ sở: tính các đơn vị xếp từ mức này trở lên (gồm cả mức `band`).",
        "text": "Quy định như văn bản nguồn ghi, và văn bản nào quy định.",
        "by_type": "Tính riêng trong từng loại đơn vị (true) hay chung cho mọi đơn vị.",
    },
    "NotApplicableRule": {
        "method": (
            "“proportional”: tổng điểm × điểm tối đa ÷ điểm tối đa của các mục áp dụng;"
            " “none”: các mục đó được 0 điểm."
        ),
        "text": "Quy tắc như văn bản nguồn nêu (hoặc ghi rõ nguồn không nêu).",
        "rounding": (
            "Với “proportional”: cách làm tròn tổng điểm sau quy đổi (một lần, ở cuối; tiêu chí"
            " hay lĩnh vực được quy đổi hiện điểm làm tròn theo cách này)."
        ),
        "scope": (
            "Với “proportional”: quy đổi ở đâu: “total” (tổng điểm phần chính, trên điểm tối đa"
            " của các mục áp dụng), “criterion” (từng tiêu chí, trên điểm tối đa các mục áp dụng"
            " của nó; tiêu chí không còn mục nào áp dụng thì bỏ ra, tổng điểm quy đổi trên các"
            " tiêu chí còn lại) hoặc “field” (từng lĩnh vực, cũng như vậy)."
        ),
    },
    "IndexRule": {
        "rounding": (
            "Cách làm tròn chỉ số, tính bằng điểm phần trăm (ví dụ bước 0,01), một lần, từ thương"
            " số chính xác."
        ),
        "bands": (
            "Các ngưỡng của mức xếp loại là chỉ số phần trăm (từ 0 đến 100) thay vì số điểm."
        ),
    },
    "WorkflowStep": {
        "title": "Việc phải làm, ví dụ “Tự đánh giá, chấm điểm”.",
        "who": "Ai thực hiện.",
        "deadline": (
            "Thời hạn như văn bản nguồn nêu, ví dụ “trước ngày 15/11/2022”; null nếu không nêu."
        ),
        "text": "Chi tiết.",
        "source": "Văn bản quy định bước này.",
    },
}
"""Vietnamese description of every field of every model class."""


@dataclass(frozen=True, slots=True)
class KeyDoc:
    """One key of the rubric format."""

    name: str
    type: Markup
    """The type in words (with links to other classes)."""
    required: str
    """"bắt buộc" or the default value."""
    vi: str
    """Vietnamese description."""
    en: str
    """The model's docstring."""


@dataclass(frozen=True, slots=True)
class ClassDoc:
    """One class of the rubric format."""

    name: str
    anchor: str
    vi: str
    en: str
    keys: list[KeyDoc]


def model_classes() -> list[type]:
    """Every dataclass of the model reachable from Rubric, Rubric first."""
    found: list[type] = []

    def visit(cls: type) -> None:
        if cls in found:
            return
        found.append(cls)
        for tp in type_hints(cls).values():
            for inner in _inner_types(tp):
                if dataclasses.is_dataclass(inner) and isinstance(inner, type):
                    visit(inner)

    visit(model.Rubric)
    return found


def _inner_types(tp: Any) -> Iterable[Any]:
    _, inner = is_optional(tp)
    if typing.get_origin(inner) is tuple:
        yield from typing.get_args(inner)[:1]
    else:
        yield inner


def type_words(tp: Any) -> Markup:
    """A field's type in Vietnamese, with links to the tables of other classes."""
    optional, inner = is_optional(tp)
    if optional:
        return Markup(f"{type_words(inner)} hoặc `null`")
    if typing.get_origin(inner) is tuple:
        return Markup(f"danh sách {type_words(typing.get_args(inner)[0])}")
    if typing.get_origin(inner) is Literal:
        return Markup("một trong " + ", ".join(f"`{a}`" for a in typing.get_args(inner)))
    if dataclasses.is_dataclass(inner) and isinstance(inner, type):
        return Markup(f"[{inner.__name__}](#{inner.__name__.lower()})")
    words = {str: "chuỗi", Decimal: "số", bool: "`true`/`false`", int: "số nguyên"}
    return Markup(words[inner])


def _default_words(f: dataclasses.Field[Any]) -> str:
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
        return "bắt buộc"
    value = f.default if f.default is not dataclasses.MISSING else ()
    if value is None:
        return "null"
    if value == ():
        return "[] (trống)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    return f'"{value}"'


def format_reference() -> list[ClassDoc]:
    """Tables of the rubric format, read from the model (types, defaults, docstrings)."""
    out = []
    for cls in model_classes():
        docs = field_docs(cls)
        hints = type_hints(cls)
        keys = [
            KeyDoc(
                f.name,
                type_words(hints[f.name]),
                _default_words(f),
                FIELD_VI[cls.__name__][f.name],
                docs.get(f.name, ""),
            )
            for f in dataclasses.fields(cls)
        ]
        out.append(
            ClassDoc(
                cls.__name__,
                cls.__name__.lower(),
                CLASS_VI[cls.__name__],
                " ".join((cls.__doc__ or "").split()),
                keys,
            )
        )
    return out
