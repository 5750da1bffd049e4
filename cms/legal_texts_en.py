"""The English first text of the legal pages (the French originals are in cms/legal_texts.py).

Each is the translation of its French page, created with it; editors keep both up to date in Wagtail.
"""

LEGAL_NOTICE = """
<h2>Publisher</h2>
<p>Association Observatoire des logiciels médicaux (a not-for-profit association under the law of 1901,
demonstration), 12 rue de l'Exemple, 75000 Paris, France. Contact: contact@observatoire.invalid, or the
contact form of this site.</p>
<p>Director of publication: the association's president.</p>
<h2>Host</h2>
<p>The association gives here the name, address and telephone number of the site's host (article 6 of
French law no. 2004-575 of 21 June 2004 on confidence in the digital economy). The data are hosted in the
European Union.</p>
<h2>Independence</h2>
<p>No software vendor funds the association or pays to be rated. Reviews are those of verified doctors;
how they are checked is stated at the foot of every page (article L111-7-2 of the French consumer code
and decree no. 2017-1436).</p>
"""

PRIVACY = """
<h2>Controller</h2>
<p>The association that publishes the site (see the legal notice). Data protection officer:
dpo@observatoire.invalid.</p>
<h2>What we collect and why</h2>
<ul>
<li><strong>To check that you are a doctor</strong>: e-mail address, last and first names, RPPS number,
specialty, mode of practice, region. Legal basis: the legitimate interest of publishing reviews by
verified doctors.</li>
<li><strong>To collect your ratings</strong>: your scores per facet, your recommendation, your comments and
the conflicts of interest you declare. Legal basis: your consent, given when you submit each rating.</li>
<li><strong>To produce the published statistics</strong>: scores are aggregated; no result about fewer than
5 doctors is published or exported, and your identity is never public.</li>
</ul>
<h2>Recipients</h2>
<p>The association's moderators and analysts. The vendors rated receive only aggregated statistics and the
published comments, without names. No data are transferred outside the European Union.</p>
<h2>Retention</h2>
<p>Your account and your ratings are kept as long as your account exists. Ratings older than three years
no longer count in the scores. When you delete your account, your identity is erased and your ratings are
detached from you.</p>
<h2>Your rights</h2>
<p>At any time you may download your data ("My data" page of your account), have them corrected, delete
them with your account ("Delete my account" page), object to their processing or ask for it to be
restricted by writing to the data protection officer. You may lodge a complaint with the CNIL, the French
data protection authority (www.cnil.fr).</p>
"""

COOKIES = """
<p>This site sets only the cookies it needs to work, which is why it does not ask for your consent:</p>
<ul>
<li><strong>sessionid</strong>: keeps you signed in (until you sign out, or two weeks);</li>
<li><strong>csrftoken</strong>: protects the forms against forged submissions (one year);</li>
<li><strong>django_language</strong>: remembers the language you chose, where you chose one.</li>
</ul>
<p>No audience-measurement, advertising or social-network cookie is used, and nothing is loaded from
another site.</p>
"""

TERMS = """
<h2>Purpose</h2>
<p>The site publishes scores of e-health software made from the ratings of verified doctors and the tests
of the association's experts, with their margin of uncertainty and the method that computes them.</p>
<h2>Accounts</h2>
<p>Only doctors whose RPPS number has been verified rate tools. An account is personal; you undertake to
respect the evaluator's charter.</p>
<h2>Moderation</h2>
<p>Every comment is read by a moderator before publication. A refused comment is refused for a reason we
tell you (patient data, abusive language, off topic, conflict of interest). Any reader may report a
published comment; a tool's vendor may publish an answer, which is moderated too.</p>
<h2>Liability</h2>
<p>The scores describe the opinion of the doctors who answered and its uncertainty; they do not guarantee
a tool's quality. The experts' texts commit the association.</p>
"""

CHARTER = """
<p>By rating a tool on this site, I undertake to:</p>
<ol>
<li>rate only tools that I use, or have used in my practice in the last twelve months;</li>
<li>declare my links with vendors (employment, consulting, shareholding, payment) and not rate the tools of
a vendor I have such a link with;</li>
<li>write in my comments nothing that could identify a patient, a colleague or an employee;</li>
<li>stay factual and courteous, and accept nothing in return for a rating;</li>
<li>have a single account, in my own name.</li>
</ol>
<p>Ratings that break the charter are left out of the scores; fraud signals are examined by a moderator,
who tells you so.</p>
"""

ACCESSIBILITY = """
<h2>Compliance status</h2>
<p>This site is <strong>partially compliant</strong> with the French accessibility framework (RGAA 4.1):
no full audit by a third party has been carried out yet.</p>
<h2>Checks carried out</h2>
<p>At every release, the site's automated tests check every public page and the signed-in doctor's pages,
in French and in English, on a 1,280-pixel screen and a 390-pixel phone, with axe-core (no error accepted)
and the W3C's HTML validator (Nu Html Checker). They also check keyboard navigation, the contrast of the
focus indicator and that every chart comes with a table of the same figures.</p>
<h2>Known inaccessible content</h2>
<ul>
<li>The charts themselves cannot be read by a screen reader; the table under each gives the same
figures.</li>
<li>The administration interface (for the association's staff) has not been checked.</li>
</ul>
<h2>Feedback and contact</h2>
<p>If you cannot reach some content, write to accessibilite@observatoire.invalid or use the contact form:
we will provide it in another form. If our answer does not satisfy you, you may refer the matter to the
Défenseur des droits, the French rights ombudsman (www.defenseurdesdroits.fr).</p>
"""

CONTACT = """
<p>A question about a score, the methodology, your account or your data? Write to us with the form below:
no account is needed, and the association answers within five working days.</p>
<p>To exercise your data-protection rights, you may also write to the data protection officer
(dpo@observatoire.invalid).</p>
"""

# kind: (slug, title, body), in the footer's order (cms/legal_texts.py has the same kinds)
LEGAL_PAGES = {
    "legal_notice": ("legal-notice", "Legal notice", LEGAL_NOTICE),
    "privacy": ("privacy", "Privacy policy", PRIVACY),
    "cookies": ("cookies", "Cookies", COOKIES),
    "terms": ("terms-of-use", "Terms of use", TERMS),
    "charter": ("evaluators-charter", "Evaluator's charter", CHARTER),
    "accessibility": ("accessibility", "Accessibility statement", ACCESSIBILITY),
    "contact": ("contact", "Contact", CONTACT),
}
