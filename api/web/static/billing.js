// Upgrade and manage: the form asks for Stripe's hosted page and the script goes there.
import { csrfToken, postForm } from "./live.js";

export function start() {
  for (const form of document.querySelectorAll("form[data-external]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      try {
        const { url } = await postForm(form.action, new FormData(form), csrfToken(form));
        const target = new URL(url);
        if (target.protocol === "https:" || target.protocol === "http:") {
          window.location.assign(target.href);
          return;
        }
      } catch (error) {
        const alert = form.querySelector("[data-billing-error]");
        alert.textContent = error.message;
        alert.hidden = false;
      }
      button.disabled = false;
    });
  }
}
