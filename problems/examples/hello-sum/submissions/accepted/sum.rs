// Hello Sum in Rust (builds with rustc 1.63, no crates).
use std::io::{self, Read};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).expect("cannot read stdin");
    let mut it = input.split_whitespace().map(|t| t.parse::<i64>().expect("not an integer"));
    let a = it.next().expect("missing a");
    let b = it.next().expect("missing b");
    println!("{}", a + b);
}
