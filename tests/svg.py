"""Reading a chart as its template draws it: the SVG parsed as XML, so that tests count the
marks and read their text instead of matching markup."""

import xml.etree.ElementTree as ET

from django.template.loader import render_to_string

NS = "{http://www.w3.org/2000/svg}"


def markup(template, chart):
    return render_to_string(template, {"chart": chart})


def drawn(template, chart):
    return ET.fromstring(markup(template, chart))


def marks(svg, tag):
    return svg.findall(f".//{NS}{tag}")


def texts(svg):
    return [element.text for element in marks(svg, "text")]


def numbers(svg):
    """Every number written in an attribute of the marks (coordinates, sizes, point lists)
    and in the view box."""
    found = svg.get("viewBox").split()
    for element in svg.iter():
        if element is svg:
            continue
        for name, value in element.attrib.items():
            if name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height"):
                found.append(value)
            elif name == "points":
                found.extend(value.replace(",", " ").split())
    return found
