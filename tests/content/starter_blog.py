"""The `blog` starter: Slow Miles, a bicycle-touring journal with posts, an archive and an about page."""

from __future__ import annotations

import starter_art as art
from starter_build import Starter, page

PYRENEES = """The first climb out of Saint-Jean-Pied-de-Port is where every plan meets the road. Mine met it at 7 a.m., \
with thirty kilos of bike and bags and a forecast that promised "mostly dry".

## The route

I rode east to west along the French side, crossing into Spain twice:

1. **Saint-Jean-Pied-de-Port to Larrau**: 62 km, 1,450 m of climbing, and the hardest day of the trip.
2. **Larrau to Arette**: short on paper, long in the legs.
3. **Col du Somport**: a gentle giant, 30 km of steady grade with a café at the top.
4. **Jaca to Ainsa**: the Spanish side, drier, hotter and full of empty roads.

## What worked

Low gears. I fitted a 30-tooth chainring before leaving and never once wished for anything bigger. \
Early starts helped too: on most days I had ridden 40 km before the heat arrived.

> The mountains do not care how fit you are. They only care how patient you are.

## What I would change

I carried too much food. Every village had a bakery, and most had a shop open until 8 p.m. \
Next time I will leave the third day of rations at home and buy bread every morning instead.

If you are planning your own crossing, start in June or September: fewer cars, cooler climbs, \
and the cows have the roads to themselves."""

PACKING = """After six long tours, my packing list has shrunk every year. Here is what made the cut for two weeks \
on the road, and, more usefully, what did not.

## Sleeping

- A one-person tent under 1.2 kg. Mine has survived four summers.
- A quilt instead of a sleeping bag: lighter, and it doubles as a blanket in hostels.
- An inflatable mat. Foam is tougher, but my hips are not.

## Cooking

I carry a small gas stove, one pot, one spoon and a folding cup. That is the whole kitchen. \
Breakfast is oats, lunch is whatever the village shop sells, dinner is pasta.

## Clothes

Two riding kits, one set of town clothes, a warm layer and a rain jacket. Everything is wool or dries \
overnight. `Wash in the evening, wear in the morning` is the only laundry rule you need.

## What I stopped carrying

- A second pair of shoes.
- A full-size towel (a small one is enough).
- Spare tyres, on tours under three weeks.

The lighter the bike, the more you enjoy the climbs, and the more time you spend looking around instead of down."""

COAST = """Most people ride the Atlantic coast in July. I rode it in February, and I would do it again.

## Empty roads, open bakeries

From La Rochelle to Biarritz, the cycle path runs through pine forests and along dunes for almost 400 km. \
In winter I met perhaps ten other cyclists in a week. The campsites were closed, but the small hotels were \
cheap and happy to store a bike in the breakfast room.

## The wind

The wind is the real climb on this coast. I planned the trip north to south to ride with the prevailing \
north-westerly, and on four of six days it worked. On the other two I counted pine trees to pass the time.

## Notes for your own trip

- Bring lights: the days are short, and the forest sections are dark by 5 p.m.
- Book rooms a day ahead; many places only open on weekends in winter.
- Oysters at Arcachon. Trust me.

The sea was grey, the sky was grey, and it was one of the best weeks I have spent on a bike."""

ROUTES = """A good route is not the shortest line between two towns. It is a string of small pleasures with as few \
lorries as possible in between.

## Start with the places, not the roads

Before opening any map, I write down what I want to see: a lake, a market, a friend's village. \
Then I connect the dots.

## Use more than one map

I plan on an online map with a cycling layer, then check every main road on street-level photos. \
A road that looks quiet on a map can be a truck route in real life.

## Plan short days

Sixty to eighty kilometres a day leaves time for a long lunch, a swim and the unexpected detour. \
The best days of every tour I have ridden were never on the plan.

## Leave one day free each week

Weather happens, knees happen, and some towns are too lovely to leave after one night.

Happy planning, and see you on the road."""


def build() -> Starter:
    site = Starter(
        {
            "name": "blog",
            "title": "Slow Miles",
            "language": "en",
            "theme": "midnight",
            "description": "Slow Miles is Ellen Marsh's journal of long bicycle journeys: routes, gear and the "
            "small joys of travelling at 18 km/h.",
            "settings": {
                "base_url": "https://slowmiles.example.org",
                "footer_note": "© 2026 Ellen Marsh. Words and pictures may be shared with credit.",
            },
        }
    )
    logo = site.asset(
        "slow-miles-mark.svg",
        art.mark("#2dd4bf", "#0f766e", "sun", "Slow Miles logo"),
        "Slow Miles logo",
        40,
        40,
    )
    covers = {
        "pyrenees": ("#fda4af", "#fde68a", "#fff7ed", "#9f7aea", "#6b46c1", "#44337a"),
        "alpine": ("#7dd3fc", "#e0f2fe", "#fefce8", "#5b8a72", "#3f6b56", "#24473a"),
        "coast": ("#94a3b8", "#e2e8f0", "#f8fafc", "#64748b", "#c8b88a", "#a3926a"),
        "autumn": ("#fdba74", "#fef3c7", "#fff7ed", "#c2410c", "#9a3412", "#5c2a0c"),
    }
    alts = {
        "pyrenees": "Purple mountain ridges at dawn under a pink sky",
        "alpine": "Green alpine hills under a pale blue sky",
        "coast": "Grey winter sky over dunes and the sea",
        "autumn": "Rolling autumn hills in orange and brown with a road winding through",
    }
    cover = {
        key: site.asset(
            f"cover-{key}.svg",
            art.landscape(pal, seed, alts[key], road=key == "autumn"),
            alts[key],
            1600,
            900,
        )
        for seed, (key, pal) in enumerate(covers.items(), start=1)
    }
    portrait = site.asset(
        "ellen-on-the-road.svg",
        art.landscape(
            ("#0f172a", "#334155", "#fde68a", "#475569", "#1e293b", "#0b1220"),
            7,
            "Night falling over the hills",
            width=1200,
            height=700,
            road=True,
        ),
        "A road winding over dark hills at nightfall, the view from Ellen's last camp",
        1200,
        700,
    )
    gallery = [
        site.asset(
            f"trip-{i}.svg",
            art.landscape(pal, 10 + i, alt, width=1200, height=900, road=i % 2 == 0),
            alt,
            1200,
            900,
        )
        for i, (pal, alt) in enumerate(
            [
                (
                    ("#fecaca", "#fef9c3", "#ffffff", "#84cc16", "#4d7c0f", "#365314"),
                    "Spring meadows in the Jura",
                ),
                (
                    ("#a5b4fc", "#e0e7ff", "#fef3c7", "#818cf8", "#4f46e5", "#312e81"),
                    "Blue evening over the Vosges",
                ),
                (
                    ("#fde68a", "#fffbeb", "#ffffff", "#d97706", "#b45309", "#78350f"),
                    "Harvest fields near Toulouse",
                ),
                (
                    ("#99f6e4", "#f0fdfa", "#ffffff", "#2dd4bf", "#0d9488", "#115e59"),
                    "Green valleys of Asturias",
                ),
            ],
            start=1,
        )
    ]

    navbar = (
        "navbar",
        {"brand": "Slow Miles", "logo": logo, "links": [], "cta_label": "", "cta_url": ""},
    )
    footer = (
        "footer",
        {
            "brand": "Slow Miles",
            "tagline": "A journal of long bicycle journeys, written in tents, cafés and train stations.",
            "columns": [
                {
                    "heading": "Read",
                    "links": "- [Latest posts](/)\n- [Journal](/journal/)\n- [About Ellen](/about/)",
                },
                {
                    "heading": "Follow",
                    "links": "- [Newsletter](/#newsletter)\n- [Route files](https://routes.slowmiles.example.org/)",
                },
            ],
            "social": [
                {"network": "mastodon", "url": "https://mastodon.example.social/@slowmiles"},
                {"network": "instagram", "url": "https://www.instagram.com/slowmiles"},
                {"network": "email", "url": "mailto:ellen@slowmiles.example.org"},
            ],
        },
    )
    newsletter = (
        "newsletter-signup",
        {
            "heading": "Postcards from the road",
            "anchor": "newsletter",
            "text": "A short letter after every trip: the route, the photos and the best bakery.",
            "action": "https://newsletter.slowmiles.example.org/subscribe",
            "email_label": "Your email address",
            "placeholder": "you@example.org",
            "button_label": "Send me postcards",
            "note": "About six letters a year. Unsubscribe any time.",
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
                    "eyebrow": "A cycling journal",
                    "heading": "Slow Miles",
                    "text": "Long journeys by bicycle, told slowly. Routes, gear, mistakes and the occasional perfect croissant.",
                    "primary_label": "Read the latest post",
                    "primary_url": "/blog/across-the-pyrenees/",
                    "secondary_label": "About me",
                    "secondary_url": "/about/",
                    "layout": "centered",
                },
            ),
            (
                "blog-post-list",
                {
                    "heading": "Latest posts",
                    "intro": "",
                    "limit": 3,
                    "layout": "list",
                    "show_excerpt": True,
                    "show_cover": True,
                    "read_more_label": "Read the post",
                    "empty_text": "The first story is on its way.",
                },
            ),
            (
                "rich-text",
                {
                    "width": "narrow",
                    "anchor": "archive",
                    "body": "Looking for older stories? The [journal](/journal/) has every post, from the first wobbly "
                    "weekend trip to the latest mountain crossing.",
                },
            ),
            newsletter,
            footer,
        ],
        home=True,
        seo_title="Slow Miles: a journal of long bicycle journeys",
    )

    journal = page(
        "journal",
        "Journal",
        [
            navbar,
            (
                "page-header",
                {
                    "eyebrow": "Archive",
                    "heading": "The journal",
                    "intro": "Every story so far, newest first.",
                    "align": "left",
                },
            ),
            (
                "blog-post-list",
                {
                    "heading": "",
                    "intro": "",
                    "limit": 0,
                    "layout": "cards",
                    "show_excerpt": True,
                    "show_cover": True,
                    "read_more_label": "",
                    "empty_text": "Nothing here yet.",
                },
            ),
            footer,
        ],
        seo_description="Every Slow Miles story: trips, gear and route planning.",
    )

    about = page(
        "about",
        "About",
        [
            navbar,
            (
                "page-header",
                {
                    "eyebrow": "Hello",
                    "heading": "I'm Ellen, and I ride slowly",
                    "intro": "Teacher by winter, cyclist by summer, and always on the lookout for a quiet road.",
                    "align": "left",
                },
            ),
            (
                "image",
                {
                    "image": portrait,
                    "alt": "",
                    "caption": "The view from my last camp in the Cévennes.",
                    "link": "",
                    "size": "wide",
                },
            ),
            (
                "rich-text",
                {
                    "width": "narrow",
                    "anchor": "",
                    "body": "I bought my first touring bike in 2015, second-hand, two sizes too big. I rode it to the sea and back "
                    "and have not stopped since.\n\nSince then I have cycled about **40,000 km** across eleven countries, "
                    "mostly in France and Spain, mostly alone, and almost always too slowly to keep an average worth "
                    "mentioning.\n\n## Why this journal\n\nI started Slow Miles to remember. I keep it going because readers "
                    "write to me before their own first tour, and nothing makes me happier.\n\nIf you have a question about a "
                    'route, a piece of gear or whether you are "fit enough" (you are), [write to me](mailto:ellen@slowmiles.example.org).',
                },
            ),
            (
                "gallery",
                {
                    "heading": "From the road",
                    "columns": 2,
                    "anchor": "photos",
                    "images": [
                        {"image": asset, "alt": "", "caption": caption}
                        for asset, caption in zip(
                            gallery,
                            [
                                "Jura, April 2025",
                                "Vosges, June 2024",
                                "Near Toulouse, August 2025",
                                "Asturias, September 2023",
                            ],
                            strict=True,
                        )
                    ],
                },
            ),
            footer,
        ],
        seo_description="About Ellen Marsh, the teacher and cyclist who writes Slow Miles.",
    )

    site.data["pages"] = [home, journal, about]
    site.data["posts"] = [
        {
            "slug": "across-the-pyrenees",
            "title": "Across the Pyrenees on a loaded touring bike",
            "excerpt": "Eight days, six cols and far too much food: what I learned riding from the Atlantic towards the Mediterranean.",
            "body": PYRENEES,
            "date": "2026-05-18",
            "author": "Ellen Marsh",
            "category": "Trips",
            "tags": ["camping", "mountains", "pyrenees"],
            "cover": cover["pyrenees"],
        },
        {
            "slug": "packing-for-two-weeks",
            "title": "What I pack for two weeks on the road",
            "excerpt": "My packing list after six long tours, and the things I finally stopped carrying.",
            "body": PACKING,
            "date": "2026-04-02",
            "author": "Ellen Marsh",
            "category": "Gear",
            "tags": ["gear", "packing"],
            "cover": cover["alpine"],
        },
        {
            "slug": "atlantic-coast-in-winter",
            "title": "Riding the Atlantic coast in the off-season",
            "excerpt": "Empty cycle paths, closed campsites and the best oysters of my life: a week from La Rochelle to Biarritz in February.",
            "body": COAST,
            "date": "2026-02-11",
            "author": "Ellen Marsh",
            "category": "Trips",
            "tags": ["coast", "france", "winter"],
            "cover": cover["coast"],
        },
        {
            "slug": "planning-a-route",
            "title": "How to plan a route you will actually enjoy",
            "excerpt": "Start with the places, check every main road, ride short days and leave one day free.",
            "body": ROUTES,
            "date": "2025-11-20",
            "author": "Ellen Marsh",
            "category": "Guides",
            "tags": ["planning", "routes"],
            "cover": cover["autumn"],
        },
    ]
    site.data["categories"] = sorted({post["category"] for post in site.data["posts"]})
    return site
