package main

import (
	"bufio"
	"fmt"
	"os"
	"time"
)

func main() {
	f, _ := os.Open("cases.txt")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		d, err := time.ParseDuration(sc.Text())
		if err != nil {
			fmt.Println("ERR", err)
		} else {
			fmt.Println(int64(d), d.String())
		}
	}
}
