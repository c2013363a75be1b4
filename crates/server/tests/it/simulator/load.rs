//! Many concurrent clients mixing reads and writes: every write is visible or refused, none
//! lost. Correctness only; `cargo xtask bench` prints the figures of the same load.

use super::common::*;
use super::load::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_clients_lose_no_write() {
    let console = Console::start(&[
        "--password",
        PASSWORD,
        "--job-seconds",
        "0",
        "--scenario",
        "empty",
    ]);
    let outcome = mixed(&console.base, USER, PASSWORD, 64, Stop::Requests(12)).await;
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    assert_eq!(outcome.latencies.len(), 64 * 12);
    assert!(
        !outcome.created.is_empty(),
        "refused: {:?}",
        outcome.refused
    );
    check_no_write_lost(&console.base, USER, PASSWORD, &outcome).await;
}
