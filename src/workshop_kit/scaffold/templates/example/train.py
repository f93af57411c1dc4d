"""A least-squares line through generated points: a placeholder for the workshop's own code."""

import random


def make_points(count: int, seed: int = 0) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    return [(x, 2 * x + 1 + rng.uniform(-0.001, 0.001)) for x in (i / 10 for i in range(count))]


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
    return slope, mean_y - slope * mean_x


if __name__ == "__main__":
    points = make_points(50)
    slope, intercept = fit(points)
    print(f"fitted y = {slope:.2f} x + {intercept:.2f} on {len(points)} points")
