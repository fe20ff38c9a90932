"""Outlines as SVG path data for the static maps (static_map.py): simplified, cut to the view, and
written as short relative steps. Pure functions of numbers."""
from __future__ import annotations

import math
from array import array

Point = tuple[int, int]


def simplified(points: array, tolerance: float) -> array:
    """An arc's positions (lon, lat, ...) that Douglas-Peucker keeps at `tolerance` degrees of
    latitude, both ends always; a degree of longitude counts as cos(latitude) of one, at the arc's
    middle, as on a map of the place."""
    n = len(points) // 2
    if n < 3:
        return points
    ys = points[1::2]
    cos = max(math.cos(math.radians((min(ys) + max(ys)) / 2)), 0.2)
    xs = [lon * cos for lon in points[0::2]]
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    tolerance2 = tolerance * tolerance
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = xs[a], ys[a]
        dx, dy = xs[b] - ax, ys[b] - ay
        length2 = dx * dx + dy * dy
        far, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = xs[i] - ax, ys[i] - ay
            if length2:
                cross = px * dy - py * dx
                d2 = cross * cross / length2
            else:  # a closed arc (an island): its distance from the end
                d2 = px * px + py * py
            if d2 > far:
                far, at = d2, i
        if far > tolerance2:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return array("d", [v for i in range(n) if keep[i] for v in (points[2 * i], ys[i])])


def clipped(points: list[Point], low_x: int, low_y: int, high_x: int, high_y: int) -> list[Point]:
    """A closed ring cut to a rectangle (Sutherland-Hodgman, edge by edge). Where it runs outside, it
    follows the rectangle's edge: drawn just outside the view, that edge is never seen."""
    if all(low_x <= x <= high_x and low_y <= y <= high_y for x, y in points):
        return points
    for axis, limit, below in ((0, low_x, False), (0, high_x, True), (1, low_y, False), (1, high_y, True)):
        if not points:
            break
        out = []
        previous = points[-1]
        was_inside = previous[axis] <= limit if below else previous[axis] >= limit
        for current in points:
            inside = current[axis] <= limit if below else current[axis] >= limit
            if inside != was_inside:
                t = (limit - previous[axis]) / (current[axis] - previous[axis])
                other = 1 - axis
                cut = round(previous[other] + t * (current[other] - previous[other]))
                out.append((limit, cut) if axis == 0 else (cut, limit))
            if inside:
                out.append(current)
            previous, was_inside = current, inside
        points = out
    return points


def twice_area(ring: list[Point]) -> int:
    """Twice the ring's signed area (shoelace)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))


def path_data(points: list[Point], least_area: float = 0) -> str:
    """SVG path data of a closed ring by relative steps ("M10 20l3-1 2 0z"): repeated points dropped,
    steps in one direction merged; "" for a ring of less than `least_area` square units."""
    ring: list[Point] = []
    for p in points:
        if not ring or p != ring[-1]:
            ring.append(p)
    while len(ring) > 1 and ring[-1] == ring[0]:
        ring.pop()
    if len(ring) < 3 or (least_area and abs(twice_area(ring)) < 2 * least_area):
        return ""
    steps: list[Point] = []
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        dx, dy = x1 - x0, y1 - y0
        if steps and steps[-1][0] * dy == steps[-1][1] * dx and steps[-1][0] * dx + steps[-1][1] * dy > 0:
            steps[-1] = (steps[-1][0] + dx, steps[-1][1] + dy)
        else:
            steps.append((dx, dy))
    if len(steps) < 2:
        return ""
    text = [f"M{ring[0][0]}{sep(ring[0][1])}{ring[0][1]}l"]
    for number, (dx, dy) in enumerate(steps):
        text.append(f"{sep(dx) if number else ''}{dx}{sep(dy)}{dy}")
    text.append("z")
    return "".join(text)


def sep(number: int) -> str:
    """A minus sign separates numbers by itself."""
    return "" if number < 0 else " "
