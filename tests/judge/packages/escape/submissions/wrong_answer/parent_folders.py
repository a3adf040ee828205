# Escape attempt: look for the test data next to and above the working
# folder (../data/secret/*.ans and the like). Prints the first answer file
# found, else "nothing".
import os

found = []


def grab(path):
    try:
        with open(path) as f:
            found.append(f.read())
    except OSError:
        pass


def scan(folder, depth):
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        full = os.path.join(folder, name)
        if name.endswith(".ans"):
            grab(full)
        elif depth > 0 and os.path.isdir(full) and not os.path.islink(full):
            scan(full, depth - 1)


for rel in ["..", "../..", "../../..", "../data", "../../data", "../data/secret",
            "/box/..", "/data", "/data/secret", "/judge", "/problem", "/package", "/tmp"]:
    scan(rel, 3)
folder = os.getcwd()
while True:
    scan(folder, 1)
    scan(os.path.join(folder, "data"), 3)
    if folder == "/":
        break
    folder = os.path.dirname(folder)
print(found[0].strip() if found else "nothing")
