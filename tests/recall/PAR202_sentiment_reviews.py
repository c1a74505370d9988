# Recall site: AndersonLucasdev/Analise-Sentimento-Texto-Python main.py (carregar_dados), reads every review file of the pos/ and neg/ folders, keeping texts and labels in two lists.
import os


def load_reviews(root):
    texts = []
    labels = []
    for label in ['pos', 'neg']:
        folder = os.path.join(root, label)
        for name in os.listdir(folder):  # recall: PAR202
            with open(os.path.join(folder, name), 'r', encoding='utf-8') as review:
                texts.append(review.read())
            labels.append(label)
    return texts, labels
