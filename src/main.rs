fn main() {
    std::process::exit(orderdesk::cli::main());
}
