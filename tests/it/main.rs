//! Integration tests: the real server on a random port, a real database (SQLite, or PostgreSQL
//! when DATABASE_URL points to one) and a real SMTP server.
mod answers;
mod api_intake;
mod api_robust;
mod auth;
mod bad_input;
mod cases;
mod company;
mod deadlines;
mod directory;
mod exports;
mod exports_response;
mod faults;
mod figures;
mod form_intake;
mod lifecycle;
mod mail;
mod my;
mod openapi;
mod pages;
mod privacy;
mod report_pdf;
mod scale_out;
mod secrecy;
mod stats;
mod support;
mod unique;
