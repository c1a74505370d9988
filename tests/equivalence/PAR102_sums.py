def simulate(route):
    cost = 0
    for leg in route:
        for step in range(leg):
            cost += (step * leg) % 7
    return cost


def total_cost(routes):
    total = 0
    for route in routes:
        total += simulate(route)
    return total


def spelled_out(routes):
    total = 10
    for route in routes:
        total = total + simulate(route)
    return total


def filtered(routes):
    total = 0
    for route in routes:
        if len(route) > 2:
            total += simulate(route)
    return total


if __name__ == "__main__":
    routes = [list(range(n)) for n in range(12)]
    print(total_cost(routes), spelled_out(routes), filtered(routes))
