# Recall site: nkyono/PE lvl_02/prob_092/prob92.py (main), counts the starts below ten million whose square-digit chain ends at 89 (a conditional count: `if f(x) == 89: count += 1`).
def chain_end(number):
    digits = str(number)
    while number != 89 and number != 1:
        total = 0
        for d in digits:
            total = total + int(d) ** 2
        number = total
        digits = str(number)
    return number


def main():
    reaching = 0
    for start in range(1, 10000001):  # recall: PAR102
        if chain_end(start) == 89:
            reaching = reaching + 1
    print(reaching)


if __name__ == '__main__':
    import time
    began = time.time()
    main()
    print("time:", time.time() - began)
