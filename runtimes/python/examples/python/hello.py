for i in range(1, 4):
    print(f"Hello from Python, line {i}")
