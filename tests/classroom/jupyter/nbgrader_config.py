"""nbgrader settings for every user of the hub: the exchange and the course.

On a real hub this file is /etc/jupyter/nbgrader_config.py, with the exchange
at nbgrader's default, /usr/local/share/nbgrader/exchange (created once with
mode 777: `mkdir -p /usr/local/share/nbgrader/exchange && chmod 777 ...`).
The test's hub keeps it in its temporary folder ($CLASSROOM_ROOT/exchange).
The course id is the one in instructor/nbgrader_config.py.
"""
import os

c = get_config()  # noqa: F821 (provided by the traitlets config loader)

c.Exchange.root = os.path.join(os.environ["CLASSROOM_ROOT"], "exchange")
c.CourseDirectory.course_id = "opioids-and-bonds"
