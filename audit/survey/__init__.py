"""Closing the unknowns: a site survey generated from the model, answered on site, merged back.

A layer above the analysis and below the CLI. ``facts`` collects what to survey
(the data gaps the rules report, the defaults a P(E) rests on) with the input
each needs, read from the model's fields; ``rank`` orders them by how much
knowing each could change the verdict; ``page`` writes the offline HTML page an
auditor fills on a phone; ``answers`` reads and checks what comes back;
``apply`` writes it into the site file with ``audit.site.edit``.
"""
