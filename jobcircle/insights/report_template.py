"""Writes the default work-report template (report_templates/work_report.docx), checked in.

Run ``python -m jobcircle.insights.report_template`` after changing it. A county replaces the template
with its own .docx (JOBCIRCLE_WORK_REPORT_TEMPLATE) using the same placeholders: ``title``, ``area``,
``period``, ``issued_on`` and the lists ``achievements``, ``problems``, ``plans`` (docxtpl, Jinja2).
"""

from pathlib import Path

OUT = Path(__file__).resolve().parent / "report_templates" / "work_report.docx"


def write_default_template(path: Path = OUT) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "仿宋_GB2312"
    normal.font.size = Pt(16)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    title = document.add_paragraph("{{ title }}")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.runs[0].font.size = Pt(22)
    title.runs[0].bold = True
    document.add_paragraph("（{{ area }} {{ period }}）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for heading, items in (
        ("一、主要工作及成效", "achievements"),
        ("二、存在问题", "problems"),
        ("三、下步打算", "plans"),
    ):
        document.add_paragraph(heading).runs[0].bold = True
        document.add_paragraph(f"{{%p for line in {items} %}}")
        body = document.add_paragraph("{{ line }}")
        body.paragraph_format.first_line_indent = Pt(32)
        document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ issued_on }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.core_properties.title = "工作情况汇报"
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(write_default_template())
