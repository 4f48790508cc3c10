"""Hostile and benign SVG uploads, shared by the sanitiser, upload and browser tests.

Every payload reports itself if it ever runs: script sets `window.__pwned` and calls `alert`, and
anything that fetches asks for a URL on PROBE_HOST. A hostile case expects "refused" (the upload
fails with InvalidInput) or "stored" (kept, rebuilt without the attack); a benign case must keep
every element and attribute it has.
"""

from __future__ import annotations

from dataclasses import dataclass

PROBE_HOST = "probe.invalid"
PROBE = f"http://{PROBE_HOST}"
JS = "window.__pwned=1;alert(1)"
SVG = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    outcome: str  # "refused" | "stored"
    reason: str = ""  # a part of the refusal message


def _svg(body: str, attrs: str = "") -> bytes:
    return f'<svg {SVG} {XLINK} width="40" height="30"{attrs}>{body}<rect width="4" height="4"/></svg>'.encode()


SCRIPTED_SVG = f"<svg {SVG}><script>{JS}</script></svg>"
DATA_SVG = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4="

HOSTILE = [
    # script elements, however they are spelled
    Case(
        "ns-prefix-script",
        f'<svg {SVG} xmlns:s="http://www.w3.org/2000/svg"><s:script>{JS}</s:script></svg>'.encode(),
        "refused",
        "scripts",
    ),
    Case("plain-script", _svg(f"<script>{JS}</script>"), "refused", "scripts"),
    Case("cdata-script", _svg(f"<script><![CDATA[ {JS} ]]></script>"), "refused", "scripts"),
    Case(
        "script-src-data",
        _svg('<script xlink:href="data:text/javascript,window.__pwned=1"/>'),
        "refused",
    ),
    Case(
        "default-ns-xhtml-script", _svg(f'<g xmlns="{XHTML}"><script>{JS}</script></g>'), "refused"
    ),
    Case("mixed-case-script", _svg(f"<SCRIPT>{JS}</SCRIPT><Script>{JS}</Script>"), "refused"),
    Case("script-in-title", _svg(f"<title>t<script>{JS}</script></title>"), "refused"),
    Case(
        "handler-element",
        _svg(
            f'<handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">{JS}</handler>'
        ),
        "refused",
    ),
    Case(
        "nested-svg-script",
        _svg(
            f'<svg><g><svg x="1"><s:script xmlns:s="http://www.w3.org/2000/svg">{JS}</s:script>'
            "</svg></g></svg>"
        ),
        "refused",
    ),
    # event handlers
    Case("onload-root", _svg("", f' onload="{JS}"'), "refused", "scripts"),
    Case(
        "handler-odd-spacing",
        _svg(f'<rect  onclick\n=\n"{JS}" width="3"/>', f"\tonload =\t'{JS}'"),
        "refused",
    ),
    Case(
        "handler-svg-ns-attr",
        _svg(f'<rect xmlns:s="http://www.w3.org/2000/svg" s:onclick="{JS}"/>'),
        "refused",
    ),
    Case(
        "onbegin-animate", _svg(f'<animate onbegin="{JS}" attributeName="x" dur="1s"/>'), "refused"
    ),
    Case("nested-svg-onload", _svg(f'<svg onload="{JS}"><rect/></svg>'), "refused"),
    # script URLs, encoded every way XML allows
    Case("a-javascript", _svg(f'<a href="javascript:{JS}"><text y="9">x</text></a>'), "refused"),
    Case(
        "a-charref-javascript",
        _svg(f'<a href="&#106;avascript:{JS}"><text y="9">x</text></a>'),
        "refused",
    ),
    Case(
        "a-tab-javascript",
        _svg(f'<a xlink:href="jav&#x09;ascript:{JS}"><text y="9">x</text></a>'),
        "refused",
    ),
    Case(
        "a-space-newline-javascript",
        _svg(f'<a href=" &#10; JaVaScRiPt:{JS}"><text y="9">x</text></a>'),
        "refused",
    ),
    Case(
        "a-nul-javascript",
        _svg(f'<a href="jav&#0;ascript:{JS}"><rect/></a>'),
        "refused",
        "well-formed",
    ),
    Case("iframe-svg-ns", _svg(f'<iframe src="javascript:{JS}"/>'), "refused"),
    # animation that would rewrite a link or a handler
    Case(
        "animate-href",
        _svg(
            f'<a><animate attributeName="href" values="javascript:{JS}"/><text y="9">x</text></a>'
        ),
        "refused",
    ),
    Case(
        "set-xlink-href",
        _svg(f'<a><set attributeName="xlink:href" to="javascript:{JS}"/><text y="9">x</text></a>'),
        "refused",
    ),
    Case(
        "set-href-other-prefix",
        _svg(
            f'<use xmlns:l="http://www.w3.org/1999/xlink" l:href="#r">'
            f'<set attributeName="l:href" to="{DATA_SVG}"/></use><rect id="r"/>'
        ),
        "refused",
    ),
    Case("set-onclick", _svg(f'<rect><set attributeName="onclick" to="{JS}"/></rect>'), "refused"),
    Case(
        "animate-fill-url",
        _svg(f'<rect><animate attributeName="fill" values="url({PROBE}/a#g)" dur="1s"/></rect>'),
        "stored",
    ),
    # foreign content
    Case(
        "foreignobject-html-script",
        _svg(
            f'<foreignObject width="9" height="9"><html:iframe xmlns:html="{XHTML}" '
            f'src="javascript:{JS}"/><html:script xmlns:html="{XHTML}">{JS}</html:script>'
            "</foreignObject>"
        ),
        "refused",
    ),
    Case(
        "foreignobject-img-onerror",
        _svg(f'<foreignObject><img xmlns="{XHTML}" src="x" onerror="{JS}"/></foreignObject>'),
        "refused",
    ),
    Case(
        "foreignobject-text",
        _svg(f'<foreignObject><div xmlns="{XHTML}">hello</div></foreignObject>'),
        "stored",
    ),
    Case(
        "xhtml-embed-object",
        _svg(
            f'<h:embed xmlns:h="{XHTML}" src="{PROBE}/e.swf"/>'
            f'<h:object xmlns:h="{XHTML}" data="{PROBE}/o"/>'
            f'<h:iframe xmlns:h="{XHTML}" src="{PROBE}/f"/>'
        ),
        "stored",
    ),
    Case(
        "xinclude",
        _svg(
            '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/>'
        ),
        "stored",
    ),
    # references to other documents
    Case("use-data-uri", _svg(f'<use href="{DATA_SVG}#x"/>'), "stored"),
    Case(
        "use-external-file",
        _svg(f'<use xlink:href="{PROBE}/sprite.svg#icon"/><use href="sprite.svg#icon"/>'),
        "stored",
    ),
    Case("image-external", _svg(f'<image href="{PROBE}/i.png" width="9" height="9"/>'), "stored"),
    Case(
        "image-data-svg", _svg(f'<image xlink:href="{DATA_SVG}" width="9" height="9"/>'), "stored"
    ),
    Case(
        "feimage-external",
        _svg(f'<filter id="f"><feImage href="{PROBE}/i.png"/></filter><rect filter="url(#f)"/>'),
        "stored",
    ),
    Case(
        "a-data-html",
        _svg('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"><rect/></a>'),
        "stored",
    ),
    Case("xml-base", _svg(f'<g xml:base="{PROBE}/"><use href="#r"/></g><rect id="r"/>'), "stored"),
    Case(
        "nested-svg-use-external",
        _svg(f'<svg><svg><use href="{PROBE}/s.svg#a"/></svg></svg>'),
        "stored",
    ),
    # CSS that fetches
    Case(
        "style-import",
        _svg(f"<style>@import url({PROBE}/x.css); rect{{fill:red}}</style>"),
        "stored",
    ),
    Case("style-import-string", _svg(f'<style>@import "{PROBE}/x.css";</style>'), "stored"),
    Case("style-url-external", _svg(f"<style>rect{{fill:url({PROBE}/p.svg#g)}}</style>"), "stored"),
    Case(
        "style-cdata-escaped-url",
        _svg(f"<style><![CDATA[rect{{fill:u\\72l({PROBE}/e)}}]]></style>"),
        "stored",
    ),
    Case(
        "style-font-face",
        _svg(
            f"<style>@font-face{{font-family:x;src:url({PROBE}/f.woff)}} text{{font-family:x}}"
            "</style>"
        ),
        "stored",
    ),
    Case(
        "style-image-set",
        _svg(
            f'<style>svg{{background:image-set("{PROBE}/i.png" 1x)}} rect{{cursor:url({PROBE}/c),auto}}'
            "</style>"
        ),
        "stored",
    ),
    Case(
        "style-close-tag",
        _svg(f"<style><![CDATA[</style><script>{JS}</script>]]></style>"),
        "stored",
    ),
    Case(
        "style-attr-url",
        _svg(f'<rect style="fill:url(\'{PROBE}/s\');stroke:blue" width="3"/>'),
        "stored",
    ),
    Case(
        "presentation-attr-url",
        _svg(
            f'<rect fill="url({PROBE}/f#g)" filter="url({PROBE}/f.svg#b)" '
            f'mask="url(&#34;{PROBE}/m&#34;)"/>'
        ),
        "stored",
    ),
    Case(
        "presentation-attr-escaped-url",
        _svg(f'<rect fill="\\75 rl({PROBE}/x)" stroke="URL({PROBE}/y)"/>'),
        "stored",
    ),
    Case(
        "xml-stylesheet-css",
        f'<?xml version="1.0"?><?xml-stylesheet type="text/css" href="{PROBE}/x.css"?>'
        f"<svg {SVG}><rect/></svg>".encode(),
        "stored",
    ),
    Case(
        "xml-stylesheet-xsl",
        f'<?xml-stylesheet type="text/xsl" href="data:text/xml,x"?><svg {SVG}><rect/></svg>'.encode(),
        "stored",
    ),
    # the parser's own attack surface
    Case(
        "billion-laughs",
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;">]>'
            f"<svg {SVG}><text>&c;</text></svg>"
        ).encode(),
        "refused",
        "DOCTYPE",
    ),
    Case(
        "external-entity",
        (
            f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f"<svg {SVG}><text>&x;</text></svg>"
        ).encode(),
        "refused",
        "DOCTYPE",
    ),
    Case(
        "external-dtd",
        (
            f'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "{PROBE}/svg11.dtd">'
            f"<svg {SVG}><rect/></svg>"
        ).encode(),
        "refused",
        "DOCTYPE",
    ),
    Case(
        "undefined-entity",
        f"<svg {SVG}><text>&nbsp;</text></svg>".encode(),
        "refused",
        "well-formed",
    ),
    Case("not-well-formed", f"<svg {SVG}><rect></svg>".encode(), "refused", "well-formed"),
    Case(
        "root-in-xhtml-ns",
        f'<svg xmlns="{XHTML}" onload="{JS}"><rect/></svg>'.encode(),
        "refused",
        "root element",
    ),
    Case(
        "root-without-ns", f'<svg onload="{JS}"><rect/></svg>'.encode(), "refused", "root element"
    ),
    Case(
        "root-ns-trailing-space",
        b'<svg xmlns="http://www.w3.org/2000/svg "><rect/></svg>',
        "refused",
        "root element",
    ),
    Case("deep-nesting", _svg("<g>" * 5000 + "</g>" * 5000), "refused", "levels deep"),
    # encodings
    Case(
        "utf16-script",
        f'<?xml version="1.0" encoding="UTF-16"?><svg {SVG}><script>{JS}</script></svg>'.encode(
            "utf-16"
        ),
        "refused",
        "scripts",
    ),
    Case(
        "utf16-external-use",
        f'<svg {SVG}><use href="{PROBE}/u.svg#a"/></svg>'.encode("utf-16"),
        "stored",
    ),
    Case("utf8-bom-onload", b"\xef\xbb\xbf" + _svg("", f' onload="{JS}"'), "refused", "scripts"),
    Case(
        "latin1-declared",
        f'<?xml version="1.0" encoding="ISO-8859-1"?><svg {SVG}><text>caf\xe9</text>'
        f'<image href="{PROBE}/l.png"/></svg>'.encode("latin-1"),
        "stored",
    ),
]

# Red-team additions: the same classes spelled the ways an outside corpus tries them.
_DEEP = 2000  # deeper than any check may recurse (Python's limit is 1000)
HOSTILE += [
    Case(
        "default-ns-redeclared-mid-document",
        _svg(
            f'<g xmlns="{XHTML}"><svg xmlns="http://www.w3.org/2000/svg"><script>{JS}</script></svg></g>'
        ),
        "refused",
        "scripts",
    ),
    Case(
        "xlink-prefix-rebound-to-svg",
        _svg(f'<a xmlns:xlink="http://www.w3.org/2000/svg" xlink:href="{PROBE}/x"><rect/></a>'),
        "stored",
    ),
    Case(
        "xhtml-a-javascript",
        _svg(f'<h:a xmlns:h="{XHTML}" href="javascript:{JS}">x</h:a>'),
        "refused",
    ),
    Case(
        "a-href-fragment-and-xlink-javascript",
        _svg(f'<a href="#r" xlink:href="javascript:{JS}"><rect id="r"/></a>'),
        "refused",
    ),
    Case("a-hash-then-javascript", _svg(f'<a href="#javascript:{JS}"><rect/></a>'), "stored"),
    Case("a-fullwidth-colon", _svg(f'<a href="javascript\uff1a{JS}"><rect/></a>'), "stored"),
    Case(
        "svg-prefixed-root-script",
        f'<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>{JS}</svg:script></svg:svg>'.encode(),
        "refused",
    ),
    Case(
        "style-url-comment-split", _svg(f"<style>rect{{fill:ur/**/l({PROBE}/c)}}</style>"), "stored"
    ),
    Case(
        "style-legacy-bindings",
        _svg(
            f"<style>rect{{fill:expression(alert(1));-moz-binding:url({PROBE}/b.xml#x);"
            f"behavior:url({PROBE}/b.htc)}}</style>"
        ),
        "stored",
    ),
    Case(
        "style-namespace-and-media-url",
        _svg(
            f"<style>@namespace x url({PROBE}/n);@media url({PROBE}/m){{rect{{fill:red}}}}</style>"
        ),
        "stored",
    ),
    Case(
        "style-webkit-image-set",
        _svg(f"<style>rect{{fill:-webkit-image-set(url({PROBE}/w.png) 1x)}}</style>"),
        "stored",
    ),
    Case(
        "presentation-marker-clip-external",
        _svg(
            f'<path d="M0 0L9 9" marker-start="url({PROBE}/m.svg#a)" marker-end="url({PROBE}/e#a)" '
            f'clip-path="url({PROBE}/c.svg#a)" mask="url({PROBE}/k#a)"/>'
        ),
        "stored",
    ),
    Case(
        "pattern-textpath-tref-external",
        _svg(
            f'<pattern id="p" href="{PROBE}/p.svg#x"/><text><textPath href="{PROBE}/t#p">x</textPath>'
            f'<tref xlink:href="{PROBE}/r#t"/></text>'
        ),
        "stored",
    ),
    Case(
        "image-srcset",
        _svg(f'<image href="#r" srcset="{PROBE}/s.png 1x" width="9" height="9"/>'),
        "stored",
    ),
    Case(
        "image-data-leading-space",
        _svg(f'<image href=" &#10;{DATA_SVG}" width="9" height="9"/>'),
        "stored",
    ),
    Case(
        "utf7-declared",
        f'<?xml version="1.0" encoding="UTF-7"?><svg {SVG}>+ADw-script+AD4-{JS}+ADw-/script+AD4-</svg>'.encode(),
        "refused",
    ),
    Case(
        "utf32-script",
        f'<?xml version="1.0" encoding="UTF-32"?><svg {SVG}><script>{JS}</script></svg>'.encode(
            "utf-32"
        ),
        "refused",
    ),
    Case(
        "ebcdic-declared",
        b'<?xml version="1.0" encoding="cp037"?>'
        + f"<svg {SVG}><script>{JS}</script></svg>".encode("cp037"),
        "refused",
    ),
    Case(
        "utf8-bom-declared-utf16",
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-16"?>' + _svg(f"<script>{JS}</script>"),
        "refused",
    ),
    Case("comment-in-attribute", _svg(f'<a href="java<!-- -->script:{JS}"><rect/></a>'), "refused"),
    Case(
        "huge-attribute-count",
        _svg("<rect " + " ".join(f'a{i}="1"' for i in range(5000)) + "/>"),
        "stored",
    ),
    Case(
        "css-deeply-nested-functions",
        _svg(
            '<rect fill="'
            + "calc(" * _DEEP
            + "1"
            + ")" * _DEEP
            + '" style="stroke:'
            + "(" * _DEEP
            + ")" * _DEEP
            + '"/>'
            f"<style>rect{{fill:{'calc(' * _DEEP}1{')' * _DEEP}}}{':is(' * _DEEP}a{')' * _DEEP}{{fill:red}}</style>"
        ),
        "stored",
    ),
    Case(
        "css-deeply-nested-media",
        _svg(
            "<style>"
            + "@media screen{" * _DEEP
            + f"rect{{fill:url({PROBE}/m)}}"
            + "}" * _DEEP
            + "</style>"
        ),
        "stored",
    ),
]

GRADIENT_ICON = f"""<svg {SVG} width="48" height="48" viewBox="0 0 48 48" role="img" aria-label="Logo">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2dd4bf"/><stop offset="1" stop-color="#0f766e"/></linearGradient>
<radialGradient id="r" cx=".5" cy=".5" r=".5"><stop offset="0" stop-color="#fff" stop-opacity=".8"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>
<style>.dot{{fill:url(#r)}} @media (prefers-color-scheme: dark){{.ring{{stroke:#eee}}}}</style>
<rect width="48" height="48" rx="10" fill="url(#g)"/><circle class="dot" cx="24" cy="20" r="8"/>
<path class="ring" d="M8 36c8-8 24-8 32 0" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round"/>
</svg>"""

SPRITE = f"""<svg {SVG} {XLINK} viewBox="0 0 64 32">
<symbol id="a" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#e11d48"/></symbol>
<clipPath id="c"><rect width="32" height="32"/></clipPath>
<use href="#a" width="32" height="32" clip-path="url(#c)"/><use xlink:href="#a" x="32" width="32" height="32"/>
</svg>"""

TEXT = f"""<svg {SVG} {XLINK} width="200" height="60" xml:space="preserve">
<title>Caf\u00e9 sign</title><desc>Two lines of text along a path</desc>
<path id="p" d="M10 50 Q100 0 190 50" fill="none"/>
<text x="10" y="20" font-family="'Georgia', serif" font-size="14" style="font-weight:bold;fill:#333">Hello <tspan fill="#e11d48" dy="2">world</tspan></text>
<text font-size="10"><textPath xlink:href="#p" startOffset="10%">along the curve &amp; back</textPath></text>
</svg>"""

FILTERED = f"""<svg {SVG} width="100" height="100">
<filter id="blur" x="-10%" y="-10%" width="120%" height="120%"><feGaussianBlur in="SourceGraphic" stdDeviation="2"/>
<feOffset dx="1" dy="1" result="o"/><feMerge><feMergeNode in="o"/><feMergeNode in="SourceGraphic"/></feMerge></filter>
<mask id="m"><rect width="100" height="100" fill="white"/><circle cx="50" cy="50" r="20" fill="black"/></mask>
<g filter="url(#blur)" mask="url(#m)" transform="translate(5,5) rotate(10 50 50)"><polygon points="10,90 50,10 90,90" fill="rgb(37 99 235 / 80%)"/>
<ellipse cx="50" cy="60" rx="20" ry="10" fill="hsl(40, 90%, 60%)" opacity=".5"/><line x1="0" y1="0" x2="100" y2="100" stroke="#000" stroke-dasharray="4 2"/></g>
</svg>"""

BENIGN = [
    Case("gradient-icon", GRADIENT_ICON.encode(), "stored"),
    Case("sprite-use", SPRITE.encode(), "stored"),
    Case("text-and-textpath", TEXT.encode(), "stored"),
    Case("filter-mask", FILTERED.encode(), "stored"),
]
# Benign, with editor leftovers the rebuild drops (the drawing survives).
EDITOR_EXPORT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- Created with Inkscape -->\n'
    f'<svg {SVG} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
    'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="64" height="32" '
    'inkscape:version="1.3" sodipodi:docname="x.svg"><sodipodi:namedview id="nv" pagecolor="#fff"/>'
    '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>'
    '<g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">'
    '<rect id="r1" x="2" y="2" width="60" height="28" style="fill:#2563eb;stroke:none"/></g></svg>'
).encode()

ALL = HOSTILE + BENIGN + [Case("editor-export", EDITOR_EXPORT, "stored")]
