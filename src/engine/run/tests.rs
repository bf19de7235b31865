use std::collections::BTreeSet;
use std::sync::Mutex;

use super::*;

/// A set of words in "AWS": the kind wants `wanted` in it.
struct Words {
    wanted: BTreeSet<&'static str>,
    aws: Mutex<Option<BTreeSet<&'static str>>>,
    /// A step that AWS refuses.
    refuse: Option<Step>,
    /// A step whose answer is lost after it made the set, and which
    /// someone else's word joined meanwhile.
    lost_answer: Option<Step>,
    unreadable: bool,
    calls: Mutex<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Create,
    Add(&'static str),
    Remove(&'static str),
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Create => write!(f, "creating the set"),
            Step::Add(w) => write!(f, "adding `{w}` to the set"),
            Step::Remove(w) => write!(f, "removing `{w}` from the set"),
        }
    }
}

impl Words {
    fn new(wanted: &[&'static str], aws: Option<&[&'static str]>) -> Words {
        Words {
            wanted: wanted.iter().copied().collect(),
            aws: Mutex::new(aws.map(|a| a.iter().copied().collect())),
            refuse: None,
            lost_answer: None,
            unreadable: false,
            calls: Mutex::default(),
        }
    }
    fn aws(&self) -> Option<BTreeSet<&'static str>> {
        self.aws.lock().unwrap().clone()
    }
}

impl Kind for Words {
    type Step = Step;
    type Observed = BTreeSet<&'static str>;

    fn subject(&self) -> &str {
        "words"
    }
    fn steps(&self, observed: Option<&Self::Observed>) -> Vec<Step> {
        let empty = BTreeSet::new();
        let mut steps = Vec::new();
        if observed.is_none() {
            steps.push(Step::Create);
        }
        let have = observed.unwrap_or(&empty);
        steps.extend(self.wanted.difference(have).map(|w| Step::Add(w)));
        steps.extend(have.difference(&self.wanted).map(|w| Step::Remove(w)));
        steps
    }
    async fn run(&self, step: &Step) -> Result<Ran, AwsError> {
        self.calls.lock().unwrap().push(step.to_string());
        if self.refuse.as_ref() == Some(step) {
            return Err(AwsError::for_test("AccessDenied", "refused"));
        }
        let mut aws = self.aws.lock().unwrap();
        match step {
            Step::Create => *aws = Some(BTreeSet::new()),
            Step::Add(w) => {
                aws.as_mut().unwrap().insert(w);
            }
            Step::Remove(w) => {
                aws.as_mut().unwrap().remove(w);
            }
        }
        if self.lost_answer.as_ref() == Some(step) {
            aws.as_mut().unwrap().insert("theirs");
            return Ok(Ran::Replan);
        }
        Ok(Ran::Done)
    }
    async fn observe(&self) -> Result<Option<Self::Observed>, AwsError> {
        if self.unreadable {
            return Err(AwsError::for_test("AccessDenied", "unreadable"));
        }
        Ok(self.aws())
    }
    fn observe_after_failure(&self, step: &Step) -> bool {
        *step != Step::Create
    }
}

fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn the_steps_run_in_order_until_aws_holds_what_is_wanted() {
    let words = Words::new(&["a", "b"], Some(&["b", "old"]));
    let done = block_on(converge(&words, words.aws().as_ref(), None)).unwrap();
    assert_eq!(done, vec![Step::Add("a"), Step::Remove("old")]);
    assert_eq!(words.aws(), Some(["a", "b"].into()));
}

#[test]
fn a_failure_names_the_step_and_says_what_was_done_and_what_exists() {
    let mut words = Words::new(&["a", "b"], None);
    words.refuse = Some(Step::Add("b"));
    let failure = block_on(converge(&words, None, None)).unwrap_err();
    assert_eq!(failure.summary, "adding `b` to the set (`words`)");
    assert_eq!(failure.step, Some(Step::Add("b")));
    assert_eq!(failure.done, vec![Step::Create, Step::Add("a")]);
    assert_eq!(failure.left, Left::Exists(["a"].into()));
    // Nothing after the failed step ran.
    assert_eq!(words.calls.lock().unwrap().len(), 3);
}

#[test]
fn a_failed_create_claims_nothing_and_an_unreadable_object_keeps_the_state() {
    let mut words = Words::new(&["a"], None);
    words.refuse = Some(Step::Create);
    let failure = block_on(converge(&words, None, None)).unwrap_err();
    assert_eq!(failure.left, Left::Gone);

    let mut words = Words::new(&["a", "b"], Some(&[]));
    words.refuse = Some(Step::Add("b"));
    words.unreadable = true;
    let failure = block_on(converge(&words, Some(&BTreeSet::new()), None)).unwrap_err();
    assert_eq!(failure.left, Left::Unread);
}

#[test]
fn after_a_lost_answer_the_rest_is_planned_from_what_aws_holds() {
    let mut words = Words::new(&["a"], None);
    words.lost_answer = Some(Step::Create);
    let done = block_on(converge(&words, None, None)).unwrap();
    // "theirs" appeared meanwhile and is removed; "a" is added once.
    assert_eq!(
        done,
        vec![Step::Create, Step::Add("a"), Step::Remove("theirs")]
    );
    assert_eq!(words.aws(), Some(["a"].into()));
}

#[test]
fn a_stop_request_ends_the_run_before_the_next_step() {
    let words = Words::new(&["a", "b"], Some(&[]));
    let cancel = CancellationToken::new();
    cancel.cancel();
    let failure = block_on(converge(&words, Some(&BTreeSet::new()), Some(&cancel))).unwrap_err();
    assert!(
        failure
            .summary
            .starts_with("stopping at Terraform's request")
    );
    assert_eq!(failure.step, None);
    assert!(failure.done.is_empty());
    assert!(words.calls.lock().unwrap().is_empty());
    assert_eq!(failure.left, Left::Exists(BTreeSet::new()));
}
