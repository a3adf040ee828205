# Wrong answer as submissions.yaml permits, but its rule also asks for a
# judge message that the default validator never writes: MISMATCH.
print(0)
