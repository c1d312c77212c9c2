"""A second corpus family, made apart from the parser and from the first family.

``people`` draws people from Brazil, Portugal, Spain, Argentina, Mexico, the US, Canada
and the UK (names, places, phone numbers in the ways each country writes them, and the
personal details some Brazilian CVs still carry); ``content`` writes their CV content
with other templates, heading wordings, experience shapes and date styles than the first
family; ``layouts`` lays it out: sidebars on the right or on the left under a photo,
a banner header, a flattened export, DOCX with Word styles or a layout table, and text
flattened onto one line. Labels are computed from what was written, never from what the
parser returns, so the figures measure the parser rather than its assumptions.
"""
