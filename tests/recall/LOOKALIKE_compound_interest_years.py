# Look-alike: AbdulR-repository/Python-Assignmet2 assignment3_9.py, compounds an investment year by year: each year's amount is computed from the previous year's, so the loop is a recurrence, not a reduction.
start = int(input("Initial amount:"))
years = int(input("Years:"))
rate = float(input("Yearly rate (percent):"))

if years > 0:
    for y in range(1, years + 1):  # lookalike: PAR102
        fraction = rate / 100
        grown = start + (start * fraction)
        start = grown
        print("After year", y, "you have", grown)
else:
    print("Please give a positive number of years.")
