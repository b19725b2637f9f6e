"""The package around the document: properties, settings, font table, and reproducible bytes.

python-docx's template brings a thumbnail, a "python-docx" author, a 2013 creation date,
theme-font styles in stylesWithEffects.xml, custom XML and a numbering part; none of it
belongs in an official document. Its zip entries carry the wall-clock time, so the package is
rewritten by `exporter.reproducible` with the document's own timestamp and a fixed entry order.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from ... import __version__
from ...cjk import has_chinese
from ...model import Metadata
from ...profile import Profile
from .ooxml import w

_UNWANTED_DOCUMENT_RELS = {
    RT.CUSTOM_XML, RT.NUMBERING, RT.WEB_SETTINGS,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
}
_UNWANTED_PACKAGE_RELS = {RT.THUMBNAIL, RT.CUSTOM_PROPERTIES}
FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "docProps/custom.xml",
                  "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml")
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_GB2312_CHARSET = "86"
_ANSI_CHARSET = "00"


def drop_template_leftovers(document: WordDocument) -> None:
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype in _UNWANTED_DOCUMENT_RELS:
            del document.part.rels[rel_id]
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype in _UNWANTED_PACKAGE_RELS:
            del package_rels[rel_id]


def set_core_properties(document: WordDocument, meta: Metadata, profile: Profile, stamp: dt.datetime) -> None:
    """Every core property set explicitly, so nothing of the template remains."""
    props = document.core_properties
    naive = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.title = meta.title_text
    props.subject = _subject(meta.title_text)
    props.author = meta.issuer or ""
    props.last_modified_by = meta.issuer or ""
    props.keywords = "；".join(k for k in (meta.region, meta.period, meta.doc_number) if k)
    props.comments = ""
    props.category = ""
    props.content_status = ""
    props.identifier = meta.doc_number or ""
    props.version = ""
    props.language = profile.docx.language
    props.revision = 1
    props.created = naive
    props.modified = naive
    printed = props._element.find(qn("cp:lastPrinted"))
    if printed is not None:
        props._element.remove(printed)


def _subject(title: str) -> str:
    """The 事由 of "…关于<事由>的报告", else the whole title."""
    match = re.search(r"关于(.+?)的?(报告|请示|通知|意见|函)$", title)
    return match.group(1) if match else title


def app_properties_xml(meta: Metadata) -> bytes:
    root = etree.Element(f"{{{_APP_NS}}}Properties", nsmap={None: _APP_NS})
    for tag, value in (("Application", f"exporter {__version__}"), ("DocSecurity", "0"),
                       ("ScaleCrop", "false"), ("Company", meta.issuer or ""),
                       ("LinksUpToDate", "false"), ("SharedDoc", "false"), ("HyperlinksChanged", "false")):
        etree.SubElement(root, f"{{{_APP_NS}}}{tag}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id Word uses for user properties
# The report's data that no GB/T 9704 element prints, kept as custom document properties so
# `exporter import` can restore them from last year's .docx.
CUSTOM_PROPERTIES = (("地区", "region"), ("地区代码", "region_code"), ("统计时期", "period"), ("发文字号", "doc_number"))


def custom_properties_xml(meta: Metadata) -> bytes | None:
    values = [(name, getattr(meta, key)) for name, key in CUSTOM_PROPERTIES if getattr(meta, key)]
    if not values:
        return None
    root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})
    for pid, (name, value) in enumerate(values, start=2):  # pid 0 and 1 are reserved
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property", fmtid=_CUSTOM_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_custom_properties(document: WordDocument, meta: Metadata) -> None:
    blob = custom_properties_xml(meta)
    if blob is None:
        return
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), _CUSTOM_CT, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def replace_app_properties(document: WordDocument, meta: Metadata) -> None:
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = app_properties_xml(meta)


def adjust_settings(document: WordDocument, profile: Profile) -> None:
    """Odd and even footers [I2, N6]; East Asian theme language; no preview picture."""
    document.settings.odd_and_even_pages_header_footer = True
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:mirrorMargins", "w:gutterAtTop"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    # Punctuation compression as the renderer model says (LibreOffice ignores the setting and
    # never compresses; Word's line-fit squeeze follows it, ECMA-376 §17.15.1.18).
    control = settings.find(qn("w:characterSpacingControl"))
    if control is not None:
        control.set(qn("w:val"), "compressPunctuation" if profile.renderer.compress_punctuation else "doNotCompress")
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), profile.docx.language)
        lang.set(qn("w:eastAsia"), profile.docx.language)


def replace_font_table(document: WordDocument, fonts: Iterable[str]) -> None:
    """fontTable.xml lists exactly the faces the document names, Chinese ones with the GB2312
    character set, so Word on another machine substitutes within the right script [N10]."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            root = etree.fromstring(part.blob)
            for child in list(root):
                root.remove(child)
            root.text = None
            for name in fonts:
                chinese = has_chinese(name)
                root.append(w("font", {"name": name},
                              w("charset", {"val": _GB2312_CHARSET if chinese else _ANSI_CHARSET}),
                              w("family", {"val": "modern" if chinese else "roman"}),
                              w("pitch", {"val": "variable"})))
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
