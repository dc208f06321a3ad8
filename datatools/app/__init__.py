"""The desktop app: a local JSON server over the data tools, the window around it, activation."""
