import type { Metadata } from "next";
import "./globals.css";
import { SiteHeader } from "./site-header";
import { StripFacebookFragment } from "@/components/strip-facebook-fragment";

export const metadata: Metadata = {
  title: { default: "Linkboard", template: "%s · Linkboard" },
  description: "Connect your Meta ad accounts and keep them connected.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <StripFacebookFragment />
        <SiteHeader />
        <main className="mx-auto w-full max-w-5xl px-4 py-8 sm:px-6">{children}</main>
      </body>
    </html>
  );
}
