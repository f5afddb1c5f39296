name = input("What is your name? ")
print(f"Nice to meet you, {name}!")
