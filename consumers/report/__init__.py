"""The report worker: on ``cv.scored``, the analysis as a PDF in the CV's language."""
