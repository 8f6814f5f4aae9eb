"""A partner's CAP 1.2 alert, as a neighbouring country's system would send it."""

PARTNER = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>ews@partner.example</sender>
  <sent>2026-11-20T08:00:00+02:00</sent>
  <status>Actual</status>
  <msgType>{msg_type}</msgType>
  <scope>Restricted</scope>
  <restriction>Border agencies only</restriction>{references}
  <info>
    <category>Safety</category>
    <event>Mass arrival</event>
    <urgency>Expected</urgency>
    <severity>{severity}</severity>
    <certainty>Likely</certainty>
    <headline>Several thousand people moving towards the border</headline>
    <description>Reported by the district office.</description>
    <area><areaDesc>{area}</areaDesc></area>
  </info>
</alert>"""


def cap_alert(identifier="P-1", msg_type="Alert", severity="Severe", area="Point A", refs=""):
    references = f"\n  <references>{refs}</references>" if refs else ""
    text = PARTNER.format(
        identifier=identifier,
        msg_type=msg_type,
        severity=severity,
        area=area,
        references=references,
    )
    return text.encode()
