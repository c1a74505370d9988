# Recall site: kuanghuangying/HackISU_fall2017 scripts/auto_run_all.py (module level), runs pdf2txt.py through os.system for every PDF of a folder, one text file each.
import os

pdfs = [p for p in os.listdir("PDF FOLDER")]

for pdf in pdfs:  # recall: PAR204
    txt_name = pdf.replace(".pdf", ".txt")
    os.system("pdf2txt.py -o " + txt_name + " samples/" + pdf)
