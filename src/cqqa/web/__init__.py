"""The web chat: a Gradio page and an `/ask` API around the `Assistant`.

- `layout.py`: the page, its components and which handler each event calls;
- `handlers.py`: what each event does (`ChatPage`, on the one loaded index);
- `documents.py`: the Documents tab, adding and removing documents;
- `style.css`: the look; HTML renderings are `cqqa.render_html`.
"""

from .layout import CSS, build_demo

__all__ = ["CSS", "build_demo"]
