# Correct: the answer is the question, upper-cased, with ANSWER for QUESTION.
q = input().strip()
print(q.upper().replace("QUESTION", "ANSWER"))
