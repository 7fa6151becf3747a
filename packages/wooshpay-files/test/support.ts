/** Test support for @org/wooshpay-files: fixtures, and the shared per-test helpers of @org/testing. */
import type { File } from "../src/index.js";

export { memoryLogger, redirectFetch, serve } from "@org/testing";

export const TEST_KEY = "sk_test_SECRET_wooshpay_key_0123456789";
export const LIVE_KEY = "sk_live_SECRET_wooshpay_key_9876543210";

export const FILE: File = {
  id: "file_1NXWtj2eZvKYlo2CzqsoYjfh",
  object: "file",
  created: 1693378789,
  expires_at: 1725001189,
  filename: "evidence.png",
  purpose: "dispute_evidence",
  size: 9863,
  title: null,
  type: "png",
  url: "https://files.com",
};

/** A Stripe-style error body. */
export const stripeError = (type: string, code: string | null, message: string, param: string | null = null) => ({
  error: { type, code, message, param },
});
