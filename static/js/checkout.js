// Checkout: Stripe.js collects the card and makes a token; our server charges it only
// while the seat hold is live, and hands back a client secret when 3-D Secure is needed.
(function () {
  "use strict";
  // Back after paying: a page restored from the back-forward cache would still say the seat
  // is only held; load it again so the server can send the learner to the receipt.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });
  const form = document.getElementById("payment-form");
  if (!form || typeof Stripe === "undefined") return;

  const stripe = Stripe(form.dataset.publishableKey);
  const card = stripe.elements().create("card");
  card.mount("#card");
  const errors = document.getElementById("card-errors");
  const button = form.querySelector("button[type=submit]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function showError(message) {
    errors.textContent = message || "The payment did not go through.";
    button.disabled = false;
  }

  async function post(url, data) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(data || {}),
    });
    return response.json();
  }

  async function handle(result) {
    if (result.status === "succeeded") {
      window.location.assign(result.redirect);
    } else if (result.status === "requires_action") {
      await stripe.confirmCardPayment(result.client_secret);
      // Whatever the browser saw, the server asks Stripe again and decides.
      const refreshed = await post(result.refresh_url);
      if (refreshed.status === "requires_action") {
        showError("Card authentication was not completed.");
      } else {
        handle(refreshed);
      }
    } else {
      // A refusal (config/errors.py error_body) has `detail`; a failed payment a `message`.
      showError(result.detail || result.message);
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    errors.textContent = "";
    const { token, error } = await stripe.createToken(card);
    if (error) {
      showError(error.message);
      return;
    }
    try {
      await handle(await post(form.dataset.payUrl, { card_id: token.card.id }));
    } catch (failure) {
      showError("We could not reach the payment service. Please try again.");
    }
  });
})();
