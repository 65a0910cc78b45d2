//! `create-user`: a staff, regulator or company account (`--role company --company <id|name>`).
use crate::config::Config;
use crate::store::db::Db;

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let again = rpassword::prompt_password("Repeat password: ")?;
    anyhow::ensure!(first == again, "the two passwords differ");
    Ok(first)
}

pub(super) async fn run(
    config: &Config,
    no_migrate: bool,
    email: String,
    role: String,
    name: String,
    company: Option<String>,
    password_stdin: bool,
) -> anyhow::Result<()> {
    use crate::domain::Role;
    let role = Role::parse(&role)
        .ok_or_else(|| anyhow::anyhow!("--role must be admin, reviewer, regulator or company"))?;
    anyhow::ensure!(
        (role == Role::Company) == company.is_some(),
        "--company <id|name> goes with --role company, and only with it"
    );
    let db = Db::connect(&config.database_url).await?;
    if !no_migrate {
        db.migrate().await?;
    }
    let company_id = match company.as_deref() {
        Some(c) => Some(
            crate::services::companies::resolve(&db.write, c)
                .await?
                .ok_or_else(|| {
                    anyhow::anyhow!("no company {c:?} in the directory (id, name or alias)")
                })?
                .id,
        ),
        None => None,
    };
    let password = read_password(password_stdin)?;
    let u = match company_id {
        Some(cid) => {
            crate::services::accounts::create_company_user(
                &db.write,
                &email,
                &name,
                cid,
                Some(&password),
            )
            .await?
        }
        None => {
            crate::services::accounts::create_user(&db.write, &email, &name, role, Some(&password))
                .await?
        }
    };
    crate::services::audit::record(
        &db.write,
        &crate::services::audit::Actor {
            user_id: None,
            label: "cli".into(),
        },
        "user_created",
        Some(("user", u.id.to_string())),
        Some(serde_json::json!({ "role": role.code(), "company_id": company_id })),
    )
    .await?;
    println!("created {} ({})", u.email, role.code());
    Ok(())
}
