# Look-alike: acanlord/misc-python replace/merge_files.py, streams several text files line by line into one open output file: the writes go to one stream in a fixed order.
parts = ["part1.txt", "part2.txt", "part3.txt"]
with open("merged_output", "w") as sink:
    for part in parts:  # lookalike: PAR202
        with open(part) as source:
            for line in source:
                sink.write(line)
