"""A labelled corpus of synthetic CVs (pt-BR and English) for measuring the parser.

``generator`` builds people and their CV content with ground-truth labels from a seeded
``random.Random``; ``render`` lays each one out as a one-column PDF, a two-column PDF, a
DOCX of paragraphs, a DOCX laid out in a table, or plain text. ``bench.eval_parsing``
scores ``parse_file`` against the labels. ``independent`` is a second family, written
apart from the parser, so the figures do not only measure the parser's own assumptions.
"""
