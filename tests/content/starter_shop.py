"""The `shop` starter: Kiln & Co., a small ceramics studio with a catalogue, an about page and commissions."""

from __future__ import annotations

import starter_art as art
from starter_build import Starter, page

PRODUCTS = [
    # slug, name, pence, description, kind, glaze, backdrop, alt
    (
        "morning-mug",
        "Morning mug",
        2800,
        "A generous 350 ml mug with a thumb-friendly handle, glazed in speckled oat.",
        "mug",
        "#d6c7a8",
        "#f3ede2",
        "A speckled oat-coloured mug on a pale shelf",
    ),
    (
        "river-bowl",
        "River bowl",
        3600,
        "Wide and shallow, for ramen, salads or a heap of fruit. Deep blue celadon glaze.",
        "bowl",
        "#3b6e8f",
        "#e6eef2",
        "A wide blue bowl on a pale blue background",
    ),
    (
        "tall-bud-vase",
        "Tall bud vase",
        4200,
        "Thrown by hand, one stem at a time. Each vase is a little different.",
        "vase",
        "#b4532a",
        "#f6e7dc",
        "A tall rust-red bud vase",
    ),
    (
        "dinner-plate",
        "Dinner plate",
        3200,
        "A 27 cm everyday plate, sturdy enough for the dishwasher, pretty enough for guests.",
        "plate",
        "#8a9a7b",
        "#eef1ea",
        "A sage green dinner plate seen from the side",
    ),
    (
        "tea-for-two",
        "Tea for two",
        8900,
        "A 700 ml teapot that pours without dripping. Comes with two matching cups.",
        "teapot",
        "#2f4858",
        "#e4e9ec",
        "A dark slate teapot",
    ),
    (
        "window-planter",
        "Window planter",
        3900,
        "Unglazed outside so the roots can breathe, glazed inside so it never leaks.",
        "planter",
        "#c98b6b",
        "#f4ebe4",
        "A terracotta planter with a young plant",
    ),
]


def build() -> Starter:
    site = Starter(
        {
            "name": "shop",
            "title": "Kiln & Co.",
            "language": "en",
            "theme": "terracotta",
            "description": "Handmade stoneware for everyday tables, thrown and glazed in a small studio in Bristol.",
            "settings": {
                "base_url": "https://kilnandco.example.co.uk",
                "seo_image": "kiln-social.png",
                "footer_note": "© 2026 Kiln & Co. Studio 4, Paintworks, Bristol BS4 3EH.",
                "shop_email": "orders@kilnandco.example.co.uk",
            },
        }
    )
    logo = site.asset(
        "kiln-mark.svg",
        art.mark("#ea580c", "#9a3412", "vase", "Kiln & Co. logo"),
        "Kiln & Co. logo",
        40,
        40,
    )
    site.asset(
        "kiln-social.png",
        art.gradient_png(1200, 630, (154, 52, 18), (234, 88, 12)),
        "Kiln & Co. handmade stoneware",
        1200,
        630,
    )
    images = {
        slug: site.asset(f"{slug}.svg", art.pottery(kind, glaze, backdrop, alt), alt, 800, 800)
        for slug, _n, _p, _d, kind, glaze, backdrop, alt in PRODUCTS
    }
    hero_image = site.asset(
        "studio-shelf.svg",
        art.pottery("vase", "#b4532a", "#fde7d4", "A rust-red vase in the studio window"),
        "A rust-red vase in the studio window",
        800,
        800,
    )
    faces = {
        "hannah": site.asset(
            "hannah.svg", art.avatar("HW", "#fdba74", "#9a3412"), "Portrait of Hannah", 96, 96
        ),
        "owen": site.asset(
            "owen.svg", art.avatar("OP", "#86efac", "#166534"), "Portrait of Owen", 96, 96
        ),
    }

    navbar = (
        "navbar",
        {
            "brand": "Kiln & Co.",
            "logo": logo,
            "links": [],
            "cta_label": "Shop now",
            "cta_url": "/shop/",
        },
    )
    footer = (
        "footer",
        {
            "brand": "Kiln & Co.",
            "tagline": "Handmade stoneware for everyday tables.\nThrown, glazed and fired in Bristol.",
            "columns": [
                {
                    "heading": "Shop",
                    "links": "- [All pieces](/shop/)\n- [Delivery and returns](/shop/#faq)\n- [Commissions](/about/#contact)",
                },
                {
                    "heading": "Studio",
                    "links": "- [Our story](/about/)\n- [Meet the makers](/about/#team)\n"
                    "- [hello@kilnandco.example.co.uk](mailto:hello@kilnandco.example.co.uk)",
                },
            ],
            "social": [
                {"network": "instagram", "url": "https://www.instagram.com/kilnandco"},
                {"network": "youtube", "url": "https://www.youtube.com/@kilnandco"},
            ],
            "note": "",
        },
    )
    newsletter = (
        "newsletter-signup",
        {
            "heading": "First pick of every kiln",
            "anchor": "newsletter",
            "text": "We fire about once a month. Subscribers see the new pieces a day before everyone else.",
            "action": "https://newsletter.kilnandco.example.co.uk/subscribe",
            "email_label": "Email address",
            "placeholder": "you@example.co.uk",
            "button_label": "Join the list",
            "note": "We send one email per firing, never more.",
        },
    )

    home = page(
        "home",
        "Home",
        [
            navbar,
            (
                "hero",
                {
                    "eyebrow": "Spring firing now in the shop",
                    "heading": "Handmade stoneware for everyday tables",
                    "text": "Mugs, bowls and vases thrown one at a time in our Bristol studio, glazed in colours "
                    "borrowed from the river, the garden and the morning sky.",
                    "primary_label": "Shop the collection",
                    "primary_url": "/shop/",
                    "secondary_label": "Visit the studio",
                    "secondary_url": "/about/",
                    "image": hero_image,
                    "layout": "split",
                },
            ),
            (
                "feature-grid",
                {
                    "heading": "Made slowly, made to last",
                    "intro": "",
                    "anchor": "promise",
                    "columns": 3,
                    "features": [
                        {
                            "icon": "heart",
                            "title": "Thrown by hand",
                            "text": "Every piece is made on the wheel by Hannah or Owen. No moulds, no factories.",
                        },
                        {
                            "icon": "shield",
                            "title": "Food safe and sturdy",
                            "text": "Lead-free glazes, fired to 1,260 °C. Dishwasher and microwave safe.",
                        },
                        {
                            "icon": "truck",
                            "title": "Plastic-free delivery",
                            "text": "Wrapped in recycled paper and shipped across the UK in 2 to 3 days.",
                        },
                    ],
                },
            ),
            (
                "product-grid",
                {
                    "heading": "New this season",
                    "intro": "Fresh from the March firing.",
                    "columns": 3,
                    "limit": 3,
                    "show_description": False,
                    "button_label": "",
                    "empty_text": "The next firing is on its way.",
                },
            ),
            (
                "testimonials",
                {
                    "heading": "From our customers",
                    "anchor": "reviews",
                    "testimonials": [
                        {
                            "quote": "My Morning mug has been on my desk every day for two years. It still makes me smile.",
                            "name": "Clare D.",
                            "role": "Bath",
                            "rating": 5,
                        },
                        {
                            "quote": "Beautifully packed, arrived in two days, and the bowls are even nicer in person.",
                            "name": "Sam O.",
                            "role": "Leeds",
                            "rating": 5,
                        },
                        {
                            "quote": "We commissioned a dinner set for our wedding. Every guest asked where it came from.",
                            "name": "Aisha and Tom",
                            "role": "Cardiff",
                            "rating": 5,
                        },
                    ],
                },
            ),
            newsletter,
            footer,
        ],
        home=True,
        seo_title="Kiln & Co.: handmade stoneware from Bristol",
    )

    shop = page(
        "shop",
        "Shop",
        [
            navbar,
            (
                "page-header",
                {
                    "eyebrow": "The collection",
                    "heading": "Shop all pieces",
                    "intro": "Small batches, made by hand. When a piece sells out, the next one comes with the next firing.",
                    "align": "left",
                },
            ),
            (
                "product-grid",
                {
                    "heading": "",
                    "intro": "",
                    "columns": 3,
                    "limit": 0,
                    "show_description": True,
                    "button_label": "",
                    "empty_text": "Everything is sold out. Join the list to hear about the next firing.",
                },
            ),
            (
                "faq",
                {
                    "heading": "Delivery, returns and care",
                    "intro": "",
                    "anchor": "faq",
                    "open_first": False,
                    "questions": [
                        {
                            "question": "How do I order?",
                            "answer": "Open a piece, choose the glaze or size you want and press its button. Questions "
                            "first? Write to [orders@kilnandco.example.co.uk](mailto:orders@kilnandco.example.co.uk).",
                        },
                        {
                            "question": "How much is delivery?",
                            "answer": "£4.50 anywhere in the UK, free on orders over £60. We ship to the EU for £12.",
                        },
                        {
                            "question": "Can I return a piece?",
                            "answer": "Yes, within 30 days, unused. If anything arrives broken, send us a photo and we will "
                            "replace it free of charge.",
                        },
                        {
                            "question": "How do I care for stoneware?",
                            "answer": "Everything is dishwasher and microwave safe. Avoid moving a piece straight from the "
                            "freezer to a hot oven.",
                        },
                    ],
                },
            ),
            footer,
        ],
        seo_description="Handmade mugs, bowls, vases, plates and planters from the Kiln & Co. studio.",
    )

    about = page(
        "about",
        "About",
        [
            navbar,
            (
                "page-header",
                {
                    "eyebrow": "Our story",
                    "heading": "Two potters, one kiln, a lot of mugs",
                    "intro": "",
                    "align": "left",
                },
            ),
            (
                "columns",
                {
                    "heading": "",
                    "intro": "",
                    "background": "plain",
                    "anchor": "story",
                    "columns": [
                        {
                            "heading": "How it started",
                            "body": "Hannah and Owen met at an evening pottery class in 2017 and spent the next three years making "
                            "lopsided bowls for friends.\n\nIn 2020 they rented a corner of a Bristol warehouse, bought a "
                            "second-hand kiln and called it **Kiln & Co.**",
                        },
                        {
                            "heading": "How we work",
                            "body": "Everything is thrown on the wheel, trimmed, glazed and fired in the studio. A mug takes about "
                            "three weeks from clay to shelf.\n\nWe mix our own glazes from simple, lead-free recipes and fire "
                            "about once a month.",
                        },
                    ],
                },
            ),
            (
                "gallery",
                {
                    "heading": "Recent pieces",
                    "columns": 3,
                    "anchor": "",
                    "images": [
                        {"image": images[slug], "alt": "", "caption": name}
                        for slug, name, *_ in PRODUCTS[:3]
                    ],
                },
            ),
            (
                "team",
                {
                    "heading": "Meet the makers",
                    "intro": "",
                    "anchor": "team",
                    "members": [
                        {
                            "name": "Hannah Wells",
                            "role": "Potter, glazes",
                            "photo": faces["hannah"],
                            "bio": "Former chemistry teacher. Responsible for every colour in the shop.",
                            "url": "",
                        },
                        {
                            "name": "Owen Price",
                            "role": "Potter, kiln keeper",
                            "photo": faces["owen"],
                            "bio": "Throws the big pieces and knows the kiln's moods better than anyone.",
                            "url": "",
                        },
                    ],
                },
            ),
            (
                "contact-form",
                {
                    "heading": "Commissions and wholesale",
                    "anchor": "contact",
                    "intro": "Dinner sets, wedding gifts or a café full of cups: tell us what you have in mind.",
                    "action": "https://forms.kilnandco.example.co.uk/commission",
                    "method": "post",
                    "submit_label": "Send enquiry",
                    "fields": [
                        {
                            "label": "Name",
                            "name": "name",
                            "type": "text",
                            "required": True,
                            "placeholder": "",
                        },
                        {
                            "label": "Email",
                            "name": "email",
                            "type": "email",
                            "required": True,
                            "placeholder": "",
                        },
                        {
                            "label": "Phone",
                            "name": "phone",
                            "type": "tel",
                            "required": False,
                            "placeholder": "",
                        },
                        {
                            "label": "What would you like us to make?",
                            "name": "details",
                            "type": "textarea",
                            "required": True,
                            "placeholder": "Twelve dinner plates in sage green...",
                        },
                    ],
                },
            ),
            footer,
        ],
        seo_description="Meet Hannah and Owen, the two potters behind Kiln & Co., and ask about commissions.",
    )

    site.data["pages"] = [home, shop, about]
    site.data["products"] = [
        {
            "slug": slug,
            "name": name,
            "price_cents": pence,
            "currency": "GBP",
            "description": description,
            "image": images[slug],
        }
        for slug, name, pence, description, *_ in PRODUCTS
    ]
    # variants, collections, stock and a sale price: the storefront shows each of them
    extra = {
        "morning-mug": {
            "tags": ["Mugs and cups"],
            "sku": "MUG-350",
            "variants": [
                {
                    "name": "Speckled oat",
                    "options": {"glaze": "Speckled oat"},
                    "sku": "MUG-350-OAT",
                    "stock": 12,
                },
                {
                    "name": "Deep celadon",
                    "options": {"glaze": "Deep celadon"},
                    "sku": "MUG-350-CEL",
                    "stock": 3,
                },
            ],
        },
        "tea-for-two": {"tags": ["Mugs and cups"], "stock": 4},
        "river-bowl": {"tags": ["Bowls and plates"], "compare_at_cents": 4200},
        "dinner-plate": {
            "tags": ["Bowls and plates"],
            "variants": [
                {"name": "Single plate", "options": {"set": "1"}, "sku": "PLATE-1"},
                {
                    "name": "Set of four",
                    "options": {"set": "4"},
                    "sku": "PLATE-4",
                    "price_cents": 11500,
                },
            ],
        },
    }
    for product in site.data["products"]:
        product.update(extra.get(product["slug"], {}))
    return site
