fn main() {
    let names = ["Ferris", "Ada"];
    for name in names.iter() {
        println!("Hello from Rust, {}!", name);
    }
}
