"""`tablejam serve`: a local web page for organisers and a JSON API beside it.

The page sets an event up (a participant spreadsheet or an instance file, a form for the main numbers and rules,
`validate`'s findings), solves it with live progress, shows the report's own sections, lets an organiser move
people (the checker's verdict at once) and re-plan on the day. Everything goes through the engine's public parts
(instance_from_data, solve, check, replan, the report's views); this package adds HTTP, limits and the page.

    app.py        routes: the page, the JSON API, the page's own endpoints (uploads, jobs, views, downloads)
    limits.py     what one server allows (body size, time limits, solves at a time, queue)
    errors.py     the error object shared with the CLI, and the HTTP answers for every kind of failure
    solves.py     the solve pool: solves at a time, a queue, "busy" beyond it, a stop per solve, progress
    received.py   instances and documents sent to the server: no file named, within the limits; validate's findings
    drafts.py     a first instance from uploaded files, and the set-up form applied to it
    pins.py       locked seats sent to the engine (rules.pins)
    outputs.py    the report's sections for the page, and downloads
    server.py     running it: uvicorn on localhost, --open
"""
