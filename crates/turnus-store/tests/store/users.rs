//! Users, role grants, sessions, API tokens and login attempts.

use jiff::{SignedDuration, Timestamp};
use turnus_store::{Actor, Change, NewUser, Role, StoreError};

use crate::common::{TestDb, backend_tests, system, unit};
use crate::problem::read_example;

backend_tests!(users_and_grants, sessions_store_only_hashes, api_tokens_lifecycle, login_attempts_counted);

/// A syntactically valid Argon2id PHC string; the store never verifies passwords.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef";

fn new_user(name: &str) -> NewUser {
    NewUser { username: name.into(), password_hash: HASH.into(), is_admin: false }
}

async fn users_and_grants(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    db.store.import_problem(created.id, &read_example("sarskilt-boende"), &system()).await.unwrap();

    let anna = db.store.create_user(&new_user(" Anna.Lindqvist "), &system()).await.unwrap();
    assert_eq!(anna.username, "anna.lindqvist");
    assert_eq!(db.store.find_user("ANNA.LINDQVIST").await.unwrap().unwrap().id, anna.id);
    assert!(db.store.find_user("nobody").await.unwrap().is_none());
    let taken = db.store.create_user(&new_user("anna.lindqvist"), &system()).await.unwrap_err();
    assert!(
        matches!(&taken, StoreError::UsernameTaken { username } if username == "anna.lindqvist"),
        "{taken}"
    );
    let weak = NewUser { password_hash: "plain-text".into(), ..new_user("erik") };
    assert!(matches!(db.store.create_user(&weak, &system()).await, Err(StoreError::Invalid(_))));
    assert!(!format!("{anna:?}").contains("argon2"), "the hash stays out of debug output");

    let staff = db.store.grant_role(anna.id, created.id, Role::Staff, Some("1001"), &system()).await.unwrap();
    assert_eq!(staff.employee.as_deref(), Some("1001"));
    db.store.grant_role(anna.id, created.id, Role::Scheduler, None, &system()).await.unwrap();
    let twice = db.store.grant_role(anna.id, created.id, Role::Scheduler, None, &system()).await;
    assert!(matches!(twice, Err(StoreError::Conflict { .. })));
    for (role, employee) in [(Role::Staff, None), (Role::Manager, Some("1001")), (Role::Staff, Some("9999"))]
    {
        let err = db.store.grant_role(anna.id, created.id, role, employee, &system()).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{role:?} {employee:?}: {err}");
    }
    // By unit, then by stored role name: medarbetare before schemaläggare.
    let grants = db.store.list_grants(anna.id).await.unwrap();
    assert_eq!(grants.iter().map(|g| g.role).collect::<Vec<_>>(), [Role::Staff, Role::Scheduler]);
    assert_eq!(db.store.list_unit_grants(created.id).await.unwrap().len(), 2);

    // A session comes with the same grants, in the same order.
    let expires = Timestamp::now() + SignedDuration::from_hours(8);
    let by_anna = Change::by(Actor::User(anna.id));
    let session = db.store.create_session(anna.id, TOKEN, expires, None, None, &by_anna).await.unwrap();
    let (found, user, session_grants) =
        db.store.find_session_with_grants(TOKEN).await.unwrap().expect("live session");
    assert_eq!(found, session);
    assert_eq!(user.id, anna.id);
    assert_eq!(session_grants, grants);
    assert!(db.store.find_session_with_grants(&TOKEN.replace('0', "f")).await.unwrap().is_none());
    assert!(db.store.find_session_with_grants("short").await.unwrap().is_none());

    db.store.revoke_role(anna.id, created.id, Role::Scheduler, &system()).await.unwrap();
    db.store.revoke_role(anna.id, created.id, Role::Scheduler, &system()).await.unwrap();
    assert_eq!(db.store.list_grants(anna.id).await.unwrap(), vec![staff]);

    let actions: Vec<String> =
        db.store.list_audit(&Default::default()).await.unwrap().into_iter().map(|r| r.action).collect();
    assert!(actions.contains(&"grant.delete".to_string()));
    assert!(
        !db.store
            .list_audit(&Default::default())
            .await
            .unwrap()
            .iter()
            .any(|r| { r.after_json.as_deref().unwrap_or_default().contains("argon2") })
    );
}

async fn sessions_store_only_hashes(db: &TestDb) {
    let user = db.store.create_user(&new_user("erik"), &system()).await.unwrap();
    let by_user = Change::by(Actor::User(user.id));
    let expires = Timestamp::now() + SignedDuration::from_hours(8);
    let session = db
        .store
        .create_session(user.id, TOKEN, expires, Some("Firefox"), Some("127.0.0.1"), &by_user)
        .await
        .unwrap();
    let (found, found_user) = db.store.find_session(TOKEN).await.unwrap().expect("live session");
    assert_eq!(found, session);
    assert_eq!(found_user.id, user.id);
    assert!(db.store.find_session("wrong-token-wrong-token-wrong-token").await.unwrap().is_none());
    assert!(db.store.find_session("short").await.unwrap().is_none());
    assert!(matches!(
        db.store.create_session(user.id, "short", expires, None, None, &by_user).await,
        Err(StoreError::Invalid(_))
    ));

    let audit = db.store.list_audit(&Default::default()).await.unwrap();
    assert!(!audit.iter().any(|r| r.after_json.as_deref().unwrap_or_default().contains(TOKEN)));

    assert!(db.store.touch_session(TOKEN, expires + SignedDuration::from_hours(1)).await.unwrap());
    db.store.set_user_disabled(user.id, true, &system()).await.unwrap();
    assert!(db.store.find_session(TOKEN).await.unwrap().is_none(), "disabling ends sessions");
    assert!(db.store.find_session_with_grants(TOKEN).await.unwrap().is_none());

    db.store.set_user_disabled(user.id, false, &system()).await.unwrap();
    db.store.create_session(user.id, TOKEN, expires, None, None, &by_user).await.unwrap();
    db.store.delete_session(TOKEN, &by_user).await.unwrap();
    assert!(db.store.find_session(TOKEN).await.unwrap().is_none());

    let soon = Timestamp::now() + SignedDuration::from_millis(200);
    db.store.create_session(user.id, TOKEN, soon, None, None, &by_user).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(db.store.find_session(TOKEN).await.unwrap().is_none(), "an expired session is not found");
    assert!(db.store.find_session_with_grants(TOKEN).await.unwrap().is_none(), "nor with its grants");
    assert_eq!(db.store.delete_expired_sessions().await.unwrap(), 1);

    db.store.set_password_hash(user.id, HASH, &system()).await.unwrap();
    assert!(matches!(
        db.store.set_password_hash(user.id, "md5", &system()).await,
        Err(StoreError::Invalid(_))
    ));
}

async fn api_tokens_lifecycle(db: &TestDb) {
    let user = db.store.create_user(&new_user("integration"), &system()).await.unwrap();
    let other = db.store.create_user(&new_user("other"), &system()).await.unwrap();
    let token = db.store.create_api_token(user.id, "HR import", TOKEN, None, &system()).await.unwrap();
    let (found, owner) = db.store.find_api_token(TOKEN).await.unwrap().expect("valid token");
    assert_eq!(found.id, token.id);
    assert!(found.last_used_at.is_some());
    assert_eq!(owner.id, user.id);
    assert_eq!(db.store.list_api_tokens(user.id).await.unwrap()[0].name, "HR import");

    assert!(matches!(
        db.store.revoke_api_token(other.id, token.id, &system()).await,
        Err(StoreError::NotFound { .. })
    ));
    db.store.revoke_api_token(user.id, token.id, &system()).await.unwrap();
    assert!(db.store.find_api_token(TOKEN).await.unwrap().is_none());

    let expired_token = "fedcba9876543210fedcba9876543210fedcba98";
    let past = Timestamp::now() - SignedDuration::from_hours(1);
    db.store.create_api_token(user.id, "old", expired_token, Some(past), &system()).await.unwrap();
    assert!(db.store.find_api_token(expired_token).await.unwrap().is_none());
}

async fn login_attempts_counted(db: &TestDb) {
    let start = Timestamp::now() - SignedDuration::from_secs(1);
    for _ in 0..3 {
        db.store.record_login_attempt("Erik", Some("10.0.0.1"), false).await.unwrap();
    }
    db.store.record_login_attempt("anna", Some("10.0.0.1"), false).await.unwrap();
    db.store.record_login_attempt("erik", Some("10.0.0.2"), true).await.unwrap();

    let failures = db.store.failed_logins_since("ERIK", Some("10.0.0.1"), start).await.unwrap();
    assert_eq!(failures.by_username, 3);
    assert_eq!(failures.by_remote_addr, 4);
    assert_eq!(failures.by_username_and_addr, 3);
    let elsewhere = db.store.failed_logins_since("erik", Some("10.0.0.2"), start).await.unwrap();
    assert_eq!(elsewhere.by_username, 3);
    assert_eq!(elsewhere.by_remote_addr, 0);
    assert_eq!(elsewhere.by_username_and_addr, 0);
    let later = Timestamp::now() + SignedDuration::from_secs(60);
    assert_eq!(db.store.failed_logins_since("erik", None, later).await.unwrap().by_username, 0);
    assert_eq!(db.store.prune_login_attempts(later).await.unwrap(), 5);
    assert!(db.store.list_audit(&Default::default()).await.unwrap().is_empty(), "attempts are not audited");
}
