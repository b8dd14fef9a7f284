fn main() {
    orderdesk::tui::latency::mark_start();
    std::process::exit(orderdesk::cli::main());
}
