package main

import "fmt"

func main() {
	for i := 1; i <= 3; i++ {
		fmt.Printf("Hello from Go, line %d\n", i)
	}
}
