//! sea-orm entities in their generated shape: no business logic here. View and response structs
//! live next to the services and routes so a new column never leaks into an API by accident.
pub mod api_token;
pub mod audit_log;
pub mod case_group;
pub mod case_group_member;
pub mod case_note;
pub mod company;
pub mod company_alias;
pub mod company_response;
pub mod complaint;
pub mod complaint_obstacle;
pub mod consumer_reply;
pub mod deadline_event;
pub mod evidence_file;
pub mod extension_request;
pub mod holiday;
pub mod mail_outbox;
pub mod obstacle;
pub mod obstacle_cue;
pub mod province;
pub mod response_file;
pub mod response_link;
pub mod session;
pub mod status_history;
pub mod types;
pub mod user;
pub mod user_invite;
