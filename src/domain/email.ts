// What Rollcall accepts as an email address: the common form of RFC 5321/5322 that identity
// providers accept: an ASCII dot-atom local part of at most 64 characters, '@', and a domain of at
// least two DNS labels (internationalized domains in their xn-- form); 254 characters at most.

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  const localPart = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  return (
    at > 0 &&
    localPart.length <= 64 &&
    LOCAL_PART.test(localPart) &&
    labels.length >= 2 &&
    labels.every((label) => DNS_LABEL.test(label))
  );
}
