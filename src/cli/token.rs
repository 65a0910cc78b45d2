//! `token create`: an API bearer token for a user.
use crate::config::Config;
use crate::store::db::Db;

pub(super) async fn create(
    config: &Config,
    no_migrate: bool,
    user: String,
    name: String,
) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    if !no_migrate {
        db.migrate().await?;
    }
    let u = crate::services::accounts::find_by_email(&db.write, &user)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user with email {user}"))?;
    anyhow::ensure!(!name.trim().is_empty(), "--name must not be empty");
    let (row, token) = crate::services::accounts::create_token(&db.write, u.id, &name).await?;
    crate::services::audit::record(
        &db.write,
        &crate::services::audit::Actor {
            user_id: None,
            label: "cli".into(),
        },
        "token_created",
        Some(("api_token", row.id.to_string())),
        Some(serde_json::json!({ "for": u.email })),
    )
    .await?;
    println!(
        "token \"{}\" for {} ({}); store it now, it is not shown again:",
        row.name, u.email, u.role
    );
    println!("{token}");
    Ok(())
}
