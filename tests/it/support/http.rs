//! Short ways to send the requests tests send all the time, so a test reads as the user's steps.
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

use super::TestApp;

/// A client like a browser's: its own cookie jar, redirects not followed.
pub fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

/// GET and read, on any client.
pub trait Fetch {
    /// The response to a GET of `url`.
    fn fetch(&self, url: impl reqwest::IntoUrl) -> impl std::future::Future<Output = Response>;

    /// The body of a GET of `url`, whatever its status.
    fn text_of(&self, url: impl reqwest::IntoUrl) -> impl std::future::Future<Output = String>;

    /// The status of a GET of `url`.
    fn status_of(
        &self,
        url: impl reqwest::IntoUrl,
    ) -> impl std::future::Future<Output = StatusCode>;
}

impl Fetch for Client {
    async fn fetch(&self, url: impl reqwest::IntoUrl) -> Response {
        self.get(url).send().await.expect("get")
    }

    async fn text_of(&self, url: impl reqwest::IntoUrl) -> String {
        self.fetch(url).await.text().await.expect("text")
    }

    async fn status_of(&self, url: impl reqwest::IntoUrl) -> StatusCode {
        self.fetch(url).await.status()
    }
}

impl TestApp {
    /// GET `path` with the app's anonymous client.
    pub async fn get(&self, path: &str) -> Response {
        self.client.fetch(self.url(path)).await
    }

    /// The body of `path` for the anonymous client.
    pub async fn page(&self, path: &str) -> String {
        self.client.text_of(self.url(path)).await
    }

    /// The JSON body of `path` for the anonymous client.
    pub async fn get_json(&self, path: &str) -> Value {
        self.get(path).await.json().await.expect("json")
    }

    /// POSTs `body` as JSON to `path` with the anonymous client.
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("post")
    }

    /// POSTs a URL-encoded form to `path` with the anonymous client.
    pub async fn post_form<T: serde::Serialize + ?Sized>(&self, path: &str, form: &T) -> Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("post")
    }

    /// POSTs a multipart form to `path` with the anonymous client.
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Response {
        self.client
            .post(self.url(path))
            .multipart(form)
            .send()
            .await
            .expect("post")
    }
}

/// The Location header of a redirect.
pub fn location(r: &Response) -> String {
    r.headers()["location"].to_str().expect("ascii").to_string()
}
