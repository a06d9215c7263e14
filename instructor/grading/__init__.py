"""Grading the lessons: a sandbox around each submission, judging outside it, nbgrader as the gradebook.

==================  ==========================================================
module              holds
==================  ==========================================================
intake              what students send in, checked first: ids, links, exchange entries
sandbox             the bubblewrap sandbox and the kernel inside it
cgroups             a control group per sandbox: CPU share, memory and process caps
runner              run a submission's cells, then ask for its answers as data
scoring             judge the answers with the full exercise definitions
nbgrader_plugins    the preprocessors that plug this into ``nbgrader autograde``
classroom           a whole class: parallel sandboxed runs, one gradebook writer
course              an nbgrader course directory made from solutions/
class_report        what the class got wrong: the verdicts counted per exercise, as HTML and CSV
==================  ==========================================================

Command line: ``python -m instructor.grading --help``.
"""
