//! How long a follower (the console's change dialog, the CLI's `apply`) follows a job, and
//! what it says when it stops without knowing the outcome: the user stopped following, the job
//! is still running past the bound, or the job expired before its outcome was read. ONTAP keeps
//! running a job nobody polls, so each of these says where the job can still be seen. The
//! sentences here are the follower's own; the console adds [`PAGE_READ_AGAIN`] or
//! [`PAGE_READ_AGAIN_CHECK`] (its page is read again from the cluster), the CLI names the step.

use super::poll_delay_ms;

/// How long one job is followed before the follower stops and says where to look instead.
/// Most jobs end within seconds; one still running after this is stuck or waiting on
/// something a follower cannot show.
pub const FOLLOW_MINUTES: u64 = 10;

/// How many polls fit in [`FOLLOW_MINUTES`] with the waits of [`poll_delay_ms`]: after this
/// many, a follower stops.
pub const MAX_FOLLOW_POLLS: u32 = max_follow_polls(FOLLOW_MINUTES * 60_000);

/// The number of polls whose waits, added up, first reach `limit_ms`.
pub const fn max_follow_polls(limit_ms: u64) -> u32 {
    let mut polls = 0;
    let mut waited = 0;
    while waited < limit_ms {
        waited += poll_delay_ms(polls);
        polls += 1;
    }
    polls
}

/// How long the first `polls` polls wait in all, in milliseconds.
pub fn follow_wait_ms(polls: u32) -> u64 {
    (0..polls).map(poll_delay_ms).sum()
}

/// Whether a follower that has polled `polls` times should poll once more.
pub fn keep_following(polls: u32) -> bool {
    polls < MAX_FOLLOW_POLLS
}

/// The label of a job left still running (the console's job state, the CLI's step mark).
pub const STILL_RUNNING_LABEL: &str = "still running";

/// The label of a job whose outcome is unknown (see [`OUTCOME_UNKNOWN_TEXT`]).
pub const OUTCOME_UNKNOWN_LABEL: &str = "outcome unknown";

/// Why a follower stopped following a job before learning how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfollowed {
    /// The user chose to stop following.
    Stopped,
    /// Still not ended after [`FOLLOW_MINUTES`].
    StillRunning,
}

impl Unfollowed {
    /// The sentences for job `uuid`: why it is no longer followed, and where it can still be
    /// seen ([`where_to_follow`]).
    pub fn message(self, uuid: &str) -> String {
        let why = match self {
            Unfollowed::Stopped => "You stopped following the job.".to_owned(),
            Unfollowed::StillRunning => format!(
                "The job is still running after {FOLLOW_MINUTES} minutes: it is no longer \
                 followed."
            ),
        };
        format!("{why} {}", where_to_follow(uuid))
    }
}

/// Where job `uuid` can be seen once it is no longer followed.
pub fn where_to_follow(uuid: &str) -> String {
    format!(
        "It goes on in ONTAP: see job {uuid} with GET /api/cluster/jobs/{uuid}, in System \
         Manager's jobs view, or on the cluster's CLI with `job show -jobuuid` (advanced \
         privilege), which lists jobs with their UUIDs."
    )
}

/// What a follower says of a job that was seen running and then was gone: ONTAP expires
/// finished jobs, so it ended while nobody looked, but how is not known.
pub const OUTCOME_UNKNOWN_TEXT: &str = "The job ended before its outcome could be read \
    (ONTAP keeps a job only for a while once it has ended): its outcome is unknown.";

/// What the console adds once a job is left or its outcome is unknown: its page was read
/// again, so it shows what the cluster has now.
pub const PAGE_READ_AGAIN: &str = "The page has been read again from the cluster.";

/// What the console adds to [`OUTCOME_UNKNOWN_TEXT`]: its page was read again, and shows
/// whether the change was made.
pub const PAGE_READ_AGAIN_CHECK: &str =
    "The page has been read again from the cluster: check that it shows what you asked for.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_is_the_polls_that_fill_the_minutes() {
        let limit = FOLLOW_MINUTES * 60_000;
        assert!(follow_wait_ms(MAX_FOLLOW_POLLS) >= limit);
        assert!(follow_wait_ms(MAX_FOLLOW_POLLS - 1) < limit);
        assert_eq!(follow_wait_ms(0), 0);
        assert_eq!(follow_wait_ms(2), poll_delay_ms(0) + poll_delay_ms(1));
        assert!(keep_following(0) && keep_following(MAX_FOLLOW_POLLS - 1));
        assert!(!keep_following(MAX_FOLLOW_POLLS));
        assert_eq!(max_follow_polls(0), 0);
        assert_eq!(max_follow_polls(1), 1);
    }

    #[test]
    fn a_follower_polling_while_it_may_waits_the_minutes_and_no_longer() {
        // The loop the console and the CLI run: poll while keep_following, waiting
        // poll_delay_ms before each poll.
        let (mut polls, mut waited) = (0u32, 0u64);
        while keep_following(polls) {
            waited += poll_delay_ms(polls);
            polls += 1;
        }
        assert_eq!(polls, MAX_FOLLOW_POLLS);
        assert!(waited >= FOLLOW_MINUTES * 60_000, "{waited}");
        assert!(
            waited < FOLLOW_MINUTES * 60_000 + poll_delay_ms(u32::MAX),
            "{waited}"
        );
    }

    #[test]
    fn every_message_says_where_the_job_goes_on() {
        let uuid = "3c8a4f2e-0d3b-11ee-9b1a-005056bb1e2f";
        for end in [Unfollowed::Stopped, Unfollowed::StillRunning] {
            let message = end.message(uuid);
            assert!(
                message.contains(&format!("GET /api/cluster/jobs/{uuid}")),
                "{message}"
            );
            assert!(message.contains("System Manager"), "{message}");
            assert!(message.contains("job show -jobuuid"), "{message}");
            assert!(message.contains("goes on in ONTAP"), "{message}");
            // No follower's own words: the console and the CLI both show these.
            assert!(!message.contains("console"), "{message}");
            assert!(!message.contains("page"), "{message}");
        }
        assert!(Unfollowed::StillRunning
            .message(uuid)
            .contains(&format!("still running after {FOLLOW_MINUTES} minutes")));
        assert!(Unfollowed::Stopped.message(uuid).starts_with("You stopped"));
    }

    #[test]
    fn an_unknown_outcome_is_neither_success_nor_failure_and_names_no_follower() {
        assert!(OUTCOME_UNKNOWN_TEXT.contains("outcome is unknown"));
        // Nor does it say the job finished, failed or succeeded: nobody knows.
        for word in ["console", "page", "finished", "failed", "succe"] {
            assert!(!OUTCOME_UNKNOWN_TEXT.contains(word), "{word}");
        }
        assert!(PAGE_READ_AGAIN_CHECK.starts_with(PAGE_READ_AGAIN.trim_end_matches('.')));
        assert!(PAGE_READ_AGAIN_CHECK.contains(": check that it shows"));
        assert!(
            OUTCOME_UNKNOWN_LABEL.contains("unknown") && STILL_RUNNING_LABEL.contains("running")
        );
    }
}
