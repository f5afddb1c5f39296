#!/bin/bash
greet() {
  echo "Hello from Bash, $1!"
}

for name in Ada Linus; do
  greet "$name"
done
