from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.pool import ThreadPool


def square(n):
    return sum(i for i in range(n)) + n


def sized_by_input(values):
    with ThreadPoolExecutor(max_workers=len(values)) as executor:
        return list(executor.map(square, values))


def constant(values):
    with ThreadPoolExecutor(max_workers=100) as executor:
        return list(executor.map(square, values))


def pool_sized(values):
    with ThreadPool(processes=len(values) or 1) as pool:
        return pool.map(square, values)


def processes(values):
    with ProcessPoolExecutor(max_workers=len(values)) as executor:
        return list(executor.map(square, values))


if __name__ == "__main__":
    values = list(range(40))
    print(sized_by_input(values))
    print(constant(values)[:5])
    print(pool_sized(values)[-3:])
    print(processes(values)[10:12])
