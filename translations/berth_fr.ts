<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>Berth</name>
    <message>
        <source>%1B</source>
        <comment>count in billions</comment>
        <translation>%1 Md</translation>
    </message>
    <message>
        <source>%1M</source>
        <comment>count in millions</comment>
        <translation>%1 M</translation>
    </message>
    <message>
        <source>%1K</source>
        <comment>count in thousands</comment>
        <translation>%1 k</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>à l&apos;instant</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>il y a %n minute</numerusform>
            <numerusform>il y a %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>il y a %n heure</numerusform>
            <numerusform>il y a %n heures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>il y a %n jour</numerusform>
            <numerusform>il y a %n jours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s) ago</source>
        <translation>
            <numerusform>il y a %n mois</numerusform>
            <numerusform>il y a %n mois</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s) ago</source>
        <translation>
            <numerusform>il y a %n an</numerusform>
            <numerusform>il y a %n ans</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” is not a valid docker credential helper name.</source>
        <translation>« %1 » n&apos;est pas un nom d&apos;assistant d&apos;identification docker valide.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” is not installed (it is not in PATH). Install it, or change “credsStore” or “credHelpers” in docker&apos;s config.json.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » n&apos;est pas installé (il est absent du PATH). Installez-le, ou modifiez « credsStore » ou « credHelpers » dans le config.json de docker.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” crashed.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » a planté.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” failed (exit code %2).</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » a échoué (code de sortie %2).</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” failed: %2</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » a échoué : %2</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” could not be started: %2</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » n&apos;a pas pu être lancé : %2</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” did not answer within %2 seconds. It may be waiting for a password prompt that cannot be shown.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » n&apos;a pas répondu en %2 secondes. Il attend peut-être une saisie de mot de passe qui ne peut pas s&apos;afficher.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” did not answer with a login for %2.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » n&apos;a renvoyé aucun identifiant pour %2.</translation>
    </message>
    <message>
        <source>The docker credential helper “%1” answered “list” with something that is not a list of logins.</source>
        <translation>L&apos;assistant d&apos;identification docker « %1 » a répondu à « list » par autre chose qu&apos;une liste d&apos;identifiants.</translation>
    </message>
    <message>
        <source>“%1” is not a registry name.</source>
        <translation>« %1 » n&apos;est pas un nom de registre.</translation>
    </message>
    <message>
        <source>A password or access token is needed to log in to %1.</source>
        <translation>Un mot de passe ou un jeton d&apos;accès est nécessaire pour se connecter à %1.</translation>
    </message>
    <message>
        <source>A user name is needed to log in to %1.</source>
        <translation>Un nom d&apos;utilisateur est nécessaire pour se connecter à %1.</translation>
    </message>
    <message>
        <source>Berth&apos;s saved login for %1 could not be read from the keychain: the keychain is locked or the entry was removed. Unlock the keychain, or log in again.</source>
        <translation>Les identifiants enregistrés par Berth pour %1 n&apos;ont pas pu être lus dans le trousseau : le trousseau est verrouillé ou l&apos;entrée a été supprimée. Déverrouillez le trousseau, ou reconnectez-vous.</translation>
    </message>
    <message>
        <source>On a shared computer Berth keeps logins in memory only, so it does not log the docker CLI in: that login would stay on this computer after Berth quits.</source>
        <translation>Sur un ordinateur partagé, Berth ne garde les identifiants qu&apos;en mémoire et ne connecte donc pas la CLI docker : cette connexion resterait sur cet ordinateur après la fermeture de Berth.</translation>
    </message>
    <message>
        <source>Docker is configured to keep logins with “%1”, which is not installed, so the docker CLI cannot be logged in. Install it, or change “credsStore” or “credHelpers” in %2.</source>
        <translation>Docker est configuré pour conserver les identifiants avec « %1 », qui n&apos;est pas installé : la CLI docker ne peut donc pas être connectée. Installez-le, ou modifiez « credsStore » ou « credHelpers » dans %2.</translation>
    </message>
    <message>
        <source>No docker credential helper is configured in %1, so logging the docker CLI in would write the password into that file as plain text (base64). Configure “credsStore” (for example “pass” or “secretservice”), or allow the plain-text login explicitly.</source>
        <translation>Aucun assistant d&apos;identification docker n&apos;est configuré dans %1 : connecter la CLI docker écrirait donc le mot de passe en clair (base64) dans ce fichier. Configurez « credsStore » (par exemple « pass » ou « secretservice »), ou autorisez explicitement l&apos;enregistrement des identifiants en clair.</translation>
    </message>
    <message>
        <source>Berth saved the login for %1, but the docker CLI could not be logged in: %2</source>
        <translation>Berth a enregistré les identifiants pour %1, mais la CLI docker n&apos;a pas pu être connectée : %2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (at byte %2: %3). Fix or remove the file.</source>
        <translation>%1 n&apos;est pas un JSON valide (à l&apos;octet %2 : %3). Corrigez ou supprimez le fichier.</translation>
    </message>
    <message>
        <source>%1 is not a valid configuration file: it must hold a JSON object.</source>
        <translation>%1 n&apos;est pas un fichier de configuration valide : il doit contenir un objet JSON.</translation>
    </message>
    <message>
        <source>%1 is not a valid configuration file: %2</source>
        <translation>%1 n&apos;est pas un fichier de configuration valide : %2</translation>
    </message>
    <message>
        <source>“auths” must be an object.</source>
        <translation>« auths » doit être un objet.</translation>
    </message>
    <message>
        <source>the “auths” entry for %1 must be an object.</source>
        <translation>l&apos;entrée « auths » pour %1 doit être un objet.</translation>
    </message>
    <message>
        <source>“credsStore” must be a string.</source>
        <translation>« credsStore » doit être une chaîne de caractères.</translation>
    </message>
    <message>
        <source>“credHelpers” must be an object.</source>
        <translation>« credHelpers » doit être un objet.</translation>
    </message>
    <message>
        <source>the “credHelpers” entry for %1 must be a string.</source>
        <translation>l&apos;entrée « credHelpers » pour %1 doit être une chaîne de caractères.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Impossible de créer le dossier %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <source>Cannot restrict the permissions of %1.</source>
        <translation>Impossible de restreindre les permissions de %1.</translation>
    </message>
    <message>
        <source>The login for %1 in %2 cannot be read: its “auth” field is not base64 of user:password.</source>
        <translation>Les identifiants pour %1 dans %2 sont illisibles : leur champ « auth » n&apos;est pas user:password encodé en base64.</translation>
    </message>
    <message>
        <source>The system keychain is not available (no Secret Service running). Start a keychain such as GNOME Keyring or KWallet, or log in for this session only.</source>
        <translation>Le trousseau du système n&apos;est pas disponible (aucun service Secret Service n&apos;est lancé). Démarrez un trousseau comme GNOME Keyring ou KWallet, ou connectez-vous pour cette session uniquement.</translation>
    </message>
    <message>
        <source>The keychain is locked. Unlock it and try again, or log in for this session only.</source>
        <translation>Le trousseau est verrouillé. Déverrouillez-le et réessayez, ou connectez-vous pour cette session uniquement.</translation>
    </message>
    <message>
        <source>Access to the keychain was refused. Allow Berth to use it and try again, or log in for this session only.</source>
        <translation>L&apos;accès au trousseau a été refusé. Autorisez Berth à l&apos;utiliser et réessayez, ou connectez-vous pour cette session uniquement.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>erreur inconnue</translation>
    </message>
    <message>
        <source>The keychain could not read the login for %1: %2</source>
        <translation>Le trousseau n&apos;a pas pu lire les identifiants pour %1 : %2</translation>
    </message>
    <message>
        <source>The keychain could not save the login for %1: %2</source>
        <translation>Le trousseau n&apos;a pas pu enregistrer les identifiants pour %1 : %2</translation>
    </message>
    <message>
        <source>The keychain could not remove the login for %1: %2</source>
        <translation>Le trousseau n&apos;a pas pu supprimer les identifiants pour %1 : %2</translation>
    </message>
    <message>
        <source>The keychain entry for %1 is not a login Berth can read. Log in again to replace it.</source>
        <translation>L&apos;entrée du trousseau pour %1 ne contient pas d&apos;identifiants lisibles par Berth. Reconnectez-vous pour la remplacer.</translation>
    </message>
    <message>
        <source>invalid registry name %1: missing &apos;]&apos; after the IPv6 address</source>
        <translation>nom de registre %1 non valide : &apos;]&apos; manquant après l&apos;adresse IPv6</translation>
    </message>
    <message>
        <source>invalid registry name %1: unexpected %2 after the IPv6 address</source>
        <translation>nom de registre %1 non valide : %2 inattendu après l&apos;adresse IPv6</translation>
    </message>
    <message>
        <source>invalid registry name %1: %2 is not an IPv6 address</source>
        <translation>nom de registre %1 non valide : %2 n&apos;est pas une adresse IPv6</translation>
    </message>
    <message>
        <source>invalid registry name %1: the host name is empty</source>
        <translation>nom de registre %1 non valide : le nom d&apos;hôte est vide</translation>
    </message>
    <message>
        <source>invalid registry name %1: empty part between dots</source>
        <translation>nom de registre %1 non valide : partie vide entre deux points</translation>
    </message>
    <message>
        <source>invalid registry name %1: %2 is not a valid host name part (letters, digits and inner &apos;-&apos; only)</source>
        <translation>nom de registre %1 non valide : %2 n&apos;est pas une partie de nom d&apos;hôte valide (lettres, chiffres et &apos;-&apos; à l&apos;intérieur uniquement)</translation>
    </message>
    <message>
        <source>invalid registry name %1: the port must be a number from 1 to 65535</source>
        <translation>nom de registre %1 non valide : le port doit être un nombre de 1 à 65535</translation>
    </message>
    <message>
        <source>invalid reference format: the repository name is empty</source>
        <translation>format de référence non valide : le nom du dépôt est vide</translation>
    </message>
    <message>
        <source>invalid reference format: empty path component in %1</source>
        <translation>format de référence non valide : composant de chemin vide dans %1</translation>
    </message>
    <message>
        <source>invalid reference format: %1 is not a valid repository name component: use lowercase letters and digits, separated by &apos;.&apos;, &apos;_&apos;, &apos;__&apos; or dashes</source>
        <translation>format de référence non valide : %1 n&apos;est pas un composant de nom de dépôt valide : utilisez des lettres minuscules et des chiffres, séparés par &apos;.&apos;, &apos;_&apos;, &apos;__&apos; ou des tirets</translation>
    </message>
    <message>
        <source>repository name must be lowercase: %1</source>
        <translation>le nom du dépôt doit être en minuscules : %1</translation>
    </message>
    <message>
        <source>invalid reference format: the image reference is empty</source>
        <translation>format de référence non valide : la référence d&apos;image est vide</translation>
    </message>
    <message>
        <source>invalid reference format: the image reference is %1 characters long</source>
        <translation>format de référence non valide : la référence d&apos;image est trop longue (%1 caractères)</translation>
    </message>
    <message>
        <source>invalid repository name %1: a 64-character hexadecimal string is an image ID, not a repository name</source>
        <translation>nom de dépôt %1 non valide : une chaîne hexadécimale de 64 caractères est un ID d&apos;image, pas un nom de dépôt</translation>
    </message>
    <message>
        <source>invalid reference format: nothing after &apos;@&apos; in %1 (a digest such as sha256:… was expected)</source>
        <translation>format de référence non valide : rien après &apos;@&apos; dans %1 (une empreinte comme sha256:… était attendue)</translation>
    </message>
    <message>
        <source>invalid reference format: nothing after &apos;:&apos; in %1 (a tag was expected)</source>
        <translation>format de référence non valide : rien après &apos;:&apos; dans %1 (un tag était attendu)</translation>
    </message>
    <message>
        <source>invalid reference format: %1 has no repository name</source>
        <translation>format de référence non valide : %1 n&apos;a pas de nom de dépôt</translation>
    </message>
    <message>
        <source>repository name is longer than 255 characters: %1 has %2</source>
        <translation>le nom du dépôt dépasse 255 caractères : %1 en compte %2</translation>
    </message>
    <message>
        <source>invalid digest %1: expected &apos;sha256:&apos; followed by 64 hexadecimal characters</source>
        <translation>empreinte %1 non valide : &apos;sha256:&apos; suivi de 64 caractères hexadécimaux est attendu</translation>
    </message>
    <message>
        <source>unsupported digest algorithm %1 in %2: only sha256 and sha512 are supported</source>
        <translation>algorithme d&apos;empreinte %1 non pris en charge dans %2 : seuls sha256 et sha512 sont pris en charge</translation>
    </message>
    <message>
        <source>invalid digest %1: expected %2 hexadecimal characters after &apos;%3:&apos;, found %4</source>
        <translation>empreinte %1 non valide : %2 caractères hexadécimaux attendus après &apos;%3:&apos;, %4 trouvés</translation>
    </message>
    <message>
        <source>invalid digest %1: expected %2 hexadecimal characters after &apos;%3:&apos; (0-9 and lowercase a-f only)</source>
        <translation>empreinte %1 non valide : %2 caractères hexadécimaux attendus après &apos;%3:&apos; (0-9 et a-f minuscules uniquement)</translation>
    </message>
    <message>
        <source>%1 is not a repository name: it names a tag or a digest</source>
        <translation>%1 n&apos;est pas un nom de dépôt : il désigne un tag ou une empreinte</translation>
    </message>
    <message>
        <source>invalid tag: a tag cannot be empty</source>
        <translation>tag non valide : un tag ne peut pas être vide</translation>
    </message>
    <message>
        <source>invalid tag %1: a tag is at most 128 characters long, this one has %2</source>
        <translation>tag %1 non valide : un tag fait au plus 128 caractères, celui-ci en compte %2</translation>
    </message>
    <message>
        <source>invalid tag %1: a tag must start with a letter, a digit or &apos;_&apos;</source>
        <translation>tag %1 non valide : un tag doit commencer par une lettre, un chiffre ou &apos;_&apos;</translation>
    </message>
    <message>
        <source>invalid tag %1: %2 is not allowed (letters, digits, &apos;_&apos;, &apos;.&apos; and &apos;-&apos; only)</source>
        <translation>tag %1 non valide : %2 n&apos;est pas autorisé (lettres, chiffres, &apos;_&apos;, &apos;.&apos; et &apos;-&apos; uniquement)</translation>
    </message>
    <message>
        <source>more than %1 challenges</source>
        <translation>plus de %1 challenges d&apos;authentification</translation>
    </message>
    <message>
        <source>the header is empty</source>
        <translation>l&apos;en-tête est vide</translation>
    </message>
    <message>
        <source>an authentication scheme</source>
        <translation>un schéma d&apos;authentification</translation>
    </message>
    <message>
        <source>a space after the scheme</source>
        <translation>un espace après le schéma</translation>
    </message>
    <message>
        <source>more than %1 parameters in one challenge</source>
        <translation>plus de %1 paramètres dans un même challenge</translation>
    </message>
    <message>
        <source>a parameter name</source>
        <translation>un nom de paramètre</translation>
    </message>
    <message>
        <source>&apos;=&apos; after %1</source>
        <translation>&apos;=&apos; après %1</translation>
    </message>
    <message>
        <source>&apos;,&apos; or the end of the header</source>
        <translation>&apos;,&apos; ou la fin de l&apos;en-tête</translation>
    </message>
    <message>
        <source>a parameter value</source>
        <translation>une valeur de paramètre</translation>
    </message>
    <message>
        <source>invalid escaped character at offset %1</source>
        <translation>caractère échappé non valide à la position %1</translation>
    </message>
    <message>
        <source>control character in a quoted string at offset %1</source>
        <translation>caractère de contrôle dans une chaîne entre guillemets à la position %1</translation>
    </message>
    <message>
        <source>unterminated quoted string</source>
        <translation>chaîne entre guillemets non terminée</translation>
    </message>
    <message>
        <source>expected %1 at the end</source>
        <translation>il manque %1 à la fin</translation>
    </message>
    <message>
        <source>expected %1 at offset %2, found &apos;%3&apos;</source>
        <translation>à la position %2 : &apos;%3&apos; trouvé au lieu de %1</translation>
    </message>
    <message>
        <source>malformed WWW-Authenticate header from the registry: %1</source>
        <translation>en-tête WWW-Authenticate du registre mal formé : %1</translation>
    </message>
    <message>
        <source>the registry&apos;s WWW-Authenticate header is %1 bytes long, more than the 64 KiB Berth accepts</source>
        <translation>l&apos;en-tête WWW-Authenticate du registre fait %1 octets, plus que les 64 Kio acceptés par Berth</translation>
    </message>
    <message>
        <source>Could not write the download: %1</source>
        <translation>Impossible d&apos;écrire le téléchargement : %1</translation>
    </message>
    <message>
        <source>The server restarted the download and the output cannot be rewound.</source>
        <translation>Le serveur a recommencé le téléchargement depuis le début et il est impossible de revenir au début de la sortie.</translation>
    </message>
    <message>
        <source>Could not rewind the download: %1</source>
        <translation>Impossible de revenir au début du téléchargement : %1</translation>
    </message>
    <message>
        <source>Could not truncate the download: %1</source>
        <translation>Impossible de tronquer le téléchargement : %1</translation>
    </message>
    <message>
        <source>The blob is larger than the %1 bytes allowed for it.</source>
        <translation>Le blob dépasse les %1 octets autorisés.</translation>
    </message>
    <message>
        <source>Docker Hub sent an invalid answer for %1: %2</source>
        <translation>Docker Hub a envoyé une réponse non valide pour %1 : %2</translation>
    </message>
    <message>
        <source>JSON nested deeper than %1 levels</source>
        <translation>JSON imbriqué sur plus de %1 niveaux</translation>
    </message>
    <message>
        <source>%1 at offset %2</source>
        <translation>%1 à la position %2</translation>
    </message>
    <message>
        <source>expected a JSON object</source>
        <translation>un objet JSON était attendu</translation>
    </message>
    <message>
        <source>no &quot;results&quot; list</source>
        <translation>aucune liste &quot;results&quot;</translation>
    </message>
    <message>
        <source>%1 is not an image manifest (%2).</source>
        <translation>%1 n&apos;est pas un manifeste d&apos;image (%2).</translation>
    </message>
    <message>
        <source>%1 has no image for %2; it offers %3.</source>
        <translation>%1 n&apos;a pas d&apos;image pour %2 ; plateformes disponibles : %3.</translation>
    </message>
    <message>
        <source>manifest</source>
        <translation>le manifeste</translation>
    </message>
    <message>
        <source>image index</source>
        <translation>l&apos;index d&apos;image</translation>
    </message>
    <message>
        <source>image configuration</source>
        <translation>la configuration d&apos;image</translation>
    </message>
    <message>
        <source>malformed %1: %2</source>
        <translation>erreur de format dans %1 : %2</translation>
    </message>
    <message>
        <source>the %1 is %2 bytes, more than the %3 MiB Berth accepts</source>
        <translation>%1 fait %2 octets, plus que les %3 Mio acceptés par Berth</translation>
    </message>
    <message>
        <source>the %1 is empty</source>
        <translation>%1 est vide</translation>
    </message>
    <message>
        <source>the %1 nests JSON objects and arrays more than %2 levels deep</source>
        <translation>%1 imbrique des objets et des tableaux JSON sur plus de %2 niveaux</translation>
    </message>
    <message>
        <source>the %1 is not valid JSON: %2 at offset %3</source>
        <translation>%1 n&apos;est pas un JSON valide : %2 à la position %3</translation>
    </message>
    <message>
        <source>the %1 is not a JSON object</source>
        <translation>%1 n&apos;est pas un objet JSON</translation>
    </message>
    <message>
        <source>%1 must be a string</source>
        <translation>%1 doit être une chaîne de caractères</translation>
    </message>
    <message>
        <source>%1 must be an array of strings</source>
        <translation>%1 doit être un tableau de chaînes de caractères</translation>
    </message>
    <message>
        <source>%1 must be an object of strings</source>
        <translation>%1 doit être un objet de chaînes de caractères</translation>
    </message>
    <message>
        <source>%1 must be an object</source>
        <translation>%1 doit être un objet</translation>
    </message>
    <message>
        <source>%1 must be a non-negative integer</source>
        <translation>%1 doit être un entier positif ou nul</translation>
    </message>
    <message>
        <source>%1 is not a valid digest: %2</source>
        <translation>%1 n&apos;est pas une empreinte valide : %2</translation>
    </message>
    <message>
        <source>%1 is missing</source>
        <translation>%1 est absent</translation>
    </message>
    <message>
        <source>this image uses a Docker schema 1 manifest, which is deprecated and unsupported; it must be pushed again with a current tool</source>
        <translation>cette image utilise un manifeste Docker schéma 1, obsolète et non pris en charge ; elle doit être republiée (push) avec un outil récent</translation>
    </message>
    <message>
        <source>unsupported %1: schemaVersion %2, only 2 is supported</source>
        <translation>schemaVersion %2 non prise en charge dans %1 : seule la version 2 est prise en charge</translation>
    </message>
    <message>
        <source>invalid platform %1: expected os/architecture[/variant], e.g. linux/amd64</source>
        <translation>plateforme %1 non valide : os/architecture[/variante] est attendu, par exemple linux/amd64</translation>
    </message>
    <message>
        <source>operating system</source>
        <translation>le système d&apos;exploitation</translation>
    </message>
    <message>
        <source>architecture</source>
        <translation>l&apos;architecture</translation>
    </message>
    <message>
        <source>variant</source>
        <translation>la variante</translation>
    </message>
    <message>
        <source>invalid platform %1: the %2 is empty</source>
        <translation>plateforme %1 non valide : %2 est vide</translation>
    </message>
    <message>
        <source>invalid platform %1: %2 is not a valid %3</source>
        <translation>plateforme %1 non valide : %3 %2 n&apos;est pas valide</translation>
    </message>
    <message>
        <source>expected an image manifest but got an image index (%1)</source>
        <translation>un manifeste d&apos;image était attendu, mais c&apos;est un index d&apos;image (%1)</translation>
    </message>
    <message>
        <source>no media type, and neither &apos;config&apos; nor &apos;manifests&apos; to tell it by</source>
        <translation>aucun type de média, ni &apos;config&apos; ni &apos;manifests&apos; pour le déterminer</translation>
    </message>
    <message>
        <source>unsupported manifest media type %1</source>
        <translation>type de média de manifeste non pris en charge : %1</translation>
    </message>
    <message>
        <source>%1 must be an array</source>
        <translation>%1 doit être un tableau</translation>
    </message>
    <message>
        <source>expected an image index but got an image manifest (%1)</source>
        <translation>un index d&apos;image était attendu, mais c&apos;est un manifeste d&apos;image (%1)</translation>
    </message>
    <message>
        <source>unsupported image index media type %1</source>
        <translation>type de média d&apos;index d&apos;image non pris en charge : %1</translation>
    </message>
    <message>
        <source>%1 must be true or false</source>
        <translation>%1 doit valoir true ou false</translation>
    </message>
    <message>
        <source>manifest %1 of %2</source>
        <translation>le manifeste %1 de %2</translation>
    </message>
    <message>
        <source>tag &apos;%1&apos; of %2</source>
        <translation>le tag &apos;%1&apos; de %2</translation>
    </message>
    <message>
        <source>blob %1 of %2</source>
        <translation>le blob %1 de %2</translation>
    </message>
    <message>
        <source>The content of %1 does not match its digest: expected %2, got %3. Nothing was kept.</source>
        <translation>Le contenu reçu pour %1 ne correspond pas à son empreinte : %2 attendue, %3 obtenue. Rien n&apos;a été conservé.</translation>
    </message>
    <message>
        <source>%1 requires authentication for %2; log in to %1 first.</source>
        <translation>%1 exige une authentification pour %2 ; connectez-vous d&apos;abord à %1.</translation>
    </message>
    <message>
        <source>Access to %1 was denied by %2.</source>
        <translation>Accès refusé par %2 : %1.</translation>
    </message>
    <message>
        <source>%1 was not found on %2.</source>
        <translation>Introuvable sur %2 : %1.</translation>
    </message>
    <message>
        <source>%1 is rate limiting requests; try again later.</source>
        <translation>%1 limite le nombre de requêtes ; réessayez plus tard.</translation>
    </message>
    <message>
        <source>%1 failed with a server error (HTTP %2) while reading %3.</source>
        <translation>%1 a rencontré une erreur serveur (HTTP %2) en lisant %3.</translation>
    </message>
    <message>
        <source>%1 does not support this operation on %2 (HTTP %3).</source>
        <translation>%1 ne prend pas en charge cette opération sur %2 (HTTP %3).</translation>
    </message>
    <message>
        <source>%1 refused the request for %2 (HTTP %3).</source>
        <translation>%1 a refusé la requête portant sur %2 (HTTP %3).</translation>
    </message>
    <message>
        <source>The registry said: %1</source>
        <translation>Message du registre : %1</translation>
    </message>
    <message>
        <source>The TLS connection to %1 failed: %2. Berth never ignores certificate errors unless the registry is marked insecure in the settings.</source>
        <translation>La connexion TLS à %1 a échoué : %2. Berth n&apos;ignore jamais les erreurs de certificat, sauf si le registre est marqué comme non sécurisé dans les paramètres.</translation>
    </message>
    <message>
        <source>Could not connect to %1: the connection was refused.</source>
        <translation>Impossible de se connecter à %1 : la connexion a été refusée.</translation>
    </message>
    <message>
        <source>Could not find the host of %1.</source>
        <translation>Impossible de trouver l&apos;hôte %1.</translation>
    </message>
    <message>
        <source>The connection to %1 timed out.</source>
        <translation>La connexion à %1 a expiré.</translation>
    </message>
    <message>
        <source>%1 closed the connection before the answer was complete.</source>
        <translation>%1 a fermé la connexion avant la fin de la réponse.</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>Erreur réseau lors de la communication avec %1 : %2</translation>
    </message>
    <message>
        <source>Search Docker Hub for images</source>
        <translation>Rechercher des images sur Docker Hub</translation>
    </message>
    <message>
        <source>List a repository&apos;s tags grouped by digest</source>
        <translation>Lister les tags d&apos;un dépôt, regroupés par empreinte</translation>
    </message>
    <message>
        <source>Show an image&apos;s manifest, config and history</source>
        <translation>Afficher le manifeste, la configuration et l&apos;historique d&apos;une image</translation>
    </message>
    <message>
        <source>Log in to a registry (secret kept in the keychain)</source>
        <translation>Se connecter à un registre (secret conservé dans le trousseau)</translation>
    </message>
    <message>
        <source>Log out of a registry</source>
        <translation>Se déconnecter d&apos;un registre</translation>
    </message>
    <message>
        <source>Image %1 has no platform.</source>
        <translation>L&apos;image %1 n&apos;a aucune plateforme.</translation>
    </message>
    <message>
        <source>The short image ID %1 matches several images; give more of it.</source>
        <translation>L&apos;ID d&apos;image court %1 correspond à plusieurs images ; donnez-en davantage de caractères.</translation>
    </message>
    <message>
        <source>No such image: %1</source>
        <translation>Image introuvable : %1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2 : %3</translation>
    </message>
    <message>
        <source>Could not write</source>
        <translation>Impossible d&apos;écrire</translation>
    </message>
    <message>
        <source>Could not read</source>
        <translation>Impossible de lire</translation>
    </message>
    <message>
        <source>Could not write to the image store: %1</source>
        <translation>Impossible d&apos;écrire dans le magasin d&apos;images : %1</translation>
    </message>
    <message>
        <source>Could not rewind a download in the image store: %1</source>
        <translation>Impossible de revenir au début d&apos;un téléchargement dans le magasin d&apos;images : %1</translation>
    </message>
    <message>
        <source>The image store %1 is locked by another program (%2).</source>
        <translation>Le magasin d&apos;images %1 est verrouillé par un autre programme (%2).</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>permission refusée</translation>
    </message>
    <message>
        <source>timed out waiting</source>
        <translation>délai d&apos;attente dépassé</translation>
    </message>
    <message>
        <source>Could not create the image store at %1.</source>
        <translation>Impossible de créer le magasin d&apos;images dans %1.</translation>
    </message>
    <message>
        <source>The image store has no blob %1.</source>
        <translation>Le magasin d&apos;images ne contient pas le blob %1.</translation>
    </message>
    <message>
        <source>Blob %1 in the image store is larger than expected.</source>
        <translation>Le blob %1 du magasin d&apos;images est plus gros que prévu.</translation>
    </message>
    <message>
        <source>Blob %1 in the image store is damaged; run fsck.</source>
        <translation>Le blob %1 du magasin d&apos;images est endommagé ; lancez fsck.</translation>
    </message>
    <message>
        <source>Could not create a file in the image store</source>
        <translation>Impossible de créer un fichier dans le magasin d&apos;images</translation>
    </message>
    <message>
        <source>Blob %1 has %2 bytes where %3 were expected.</source>
        <translation>Le blob %1 fait %2 octets au lieu des %3 attendus.</translation>
    </message>
    <message>
        <source>Could not store</source>
        <translation>Impossible d&apos;enregistrer</translation>
    </message>
    <message>
        <source>The image store&apos;s index %1 is damaged: %2.</source>
        <translation>L&apos;index %1 du magasin d&apos;images est endommagé : %2.</translation>
    </message>
    <message>
        <source>The file oci-layout is missing.</source>
        <translation>Le fichier oci-layout est absent.</translation>
    </message>
    <message>
        <source>Unexpected file %1 among the blobs.</source>
        <translation>Fichier inattendu parmi les blobs : %1.</translation>
    </message>
    <message>
        <source>Blob %1 is damaged: its content hashes to %2.</source>
        <translation>Le blob %1 est endommagé : son contenu a pour empreinte %2.</translation>
    </message>
    <message>
        <source>Image %1 needs blob %2, which is missing.</source>
        <translation>L&apos;image %1 a besoin du blob %2, qui est absent.</translation>
    </message>
    <message>
        <source>Image %1 uses the damaged blob %2.</source>
        <translation>L&apos;image %1 utilise le blob endommagé %2.</translation>
    </message>
    <message>
        <source>unknown backend &apos;%1&apos;: use auto, docker, podman or embedded</source>
        <translation>backend inconnu &apos;%1&apos; : utilisez auto, docker, podman ou embedded</translation>
    </message>
    <message>
        <source>List local images</source>
        <translation>Lister les images locales</translation>
    </message>
    <message>
        <source>Pull an image from a registry</source>
        <translation>Télécharger une image depuis un registre</translation>
    </message>
    <message>
        <source>Push a local image to a registry</source>
        <translation>Publier une image locale sur un registre</translation>
    </message>
    <message>
        <source>Give a local image another name</source>
        <translation>Donner un autre nom à une image locale</translation>
    </message>
    <message>
        <source>Remove local images</source>
        <translation>Supprimer des images locales</translation>
    </message>
    <message>
        <source>Remove unused local images</source>
        <translation>Supprimer les images locales inutilisées</translation>
    </message>
    <message>
        <source>Verify the embedded image store</source>
        <translation>Vérifier le magasin d&apos;images intégré</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; is a %2: an image archive holds only files, directories and links.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; est un %2 : une archive d&apos;images ne contient que des fichiers, des répertoires et des liens.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; has the set-user-ID bit: an image archive has no use for it.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; a le bit set-user-ID : une archive d&apos;images n&apos;en a aucun usage.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; has the set-group-ID bit: an image archive has no use for it.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; a le bit set-group-ID : une archive d&apos;images n&apos;en a aucun usage.</translation>
    </message>
    <message>
        <source>Cannot create &apos;%1&apos;: %2</source>
        <translation>Impossible de créer &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>Cannot write to %1: %2</source>
        <translation>Impossible d&apos;écrire dans %1 : %2</translation>
    </message>
    <message>
        <source>Cannot write to &apos;%1&apos;: %2</source>
        <translation>Impossible d&apos;écrire dans &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>Cannot write &apos;%1&apos;: %2</source>
        <translation>Impossible d&apos;écrire &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>standard input</source>
        <translation>l&apos;entrée standard</translation>
    </message>
    <message>
        <source>file descriptor %1</source>
        <translation>le descripteur de fichier %1</translation>
    </message>
    <message>
        <source>standard output</source>
        <translation>la sortie standard</translation>
    </message>
    <message>
        <source>Cannot compress with %1: %2</source>
        <translation>Impossible de compresser avec %1 : %2</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; contains &apos;..&apos;: it would be written outside the archive.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; contient &apos;..&apos; : elle serait écrite hors de l&apos;archive.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; points outside the archive.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; pointe hors de l&apos;archive.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; has a NUL character in its name.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; a un caractère NUL dans son nom.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; has an absolute path.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; a un chemin absolu.</translation>
    </message>
    <message>
        <source>Hard link &apos;%1&apos; points to an absolute path, outside the archive: &apos;%2&apos;.</source>
        <translation>Le lien physique &apos;%1&apos; pointe vers un chemin absolu, hors de l&apos;archive : &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>Hard link &apos;%1&apos; points outside the archive: &apos;%2&apos;.</source>
        <translation>Le lien physique &apos;%1&apos; pointe hors de l&apos;archive : &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>Hard link &apos;%1&apos; has no target.</source>
        <translation>Le lien physique &apos;%1&apos; n&apos;a pas de cible.</translation>
    </message>
    <message>
        <source>Symbolic link &apos;%1&apos; points to an absolute path, outside the archive: &apos;%2&apos;.</source>
        <translation>Le lien symbolique &apos;%1&apos; pointe vers un chemin absolu, hors de l&apos;archive : &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>Symbolic link &apos;%1&apos; points outside the archive: &apos;%2&apos;.</source>
        <translation>Le lien symbolique &apos;%1&apos; pointe hors de l&apos;archive : &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; is a %2: an imported filesystem cannot hold device nodes or sockets.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; est un %2 : un système de fichiers importé ne peut pas contenir de fichiers de périphérique ni de sockets.</translation>
    </message>
    <message>
        <source>Hard link &apos;%1&apos; points to &apos;%2&apos;, which is not an earlier entry of the archive.</source>
        <translation>Le lien physique &apos;%1&apos; pointe vers &apos;%2&apos;, qui n&apos;est pas une entrée précédente de l&apos;archive.</translation>
    </message>
    <message>
        <source>Hard link &apos;%1&apos; points to the directory &apos;%2&apos;.</source>
        <translation>Le lien physique &apos;%1&apos; pointe vers le répertoire &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a tar archive: it is empty.</source>
        <translation>&apos;%1&apos; n&apos;est pas une archive tar : le fichier est vide.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a tar archive.</source>
        <translation>&apos;%1&apos; n&apos;est pas une archive tar.</translation>
    </message>
    <message>
        <source>An imported image is named by a tag, not a digest: %1.</source>
        <translation>Une image importée se nomme par un tag, pas par une empreinte : %1.</translation>
    </message>
    <message>
        <source>Parts of the imported image were removed from the image store while it was being written (a prune elsewhere?); import it again.</source>
        <translation>Des parties de l&apos;image importée ont été supprimées du magasin d&apos;images pendant son écriture (un prune ailleurs ?) ; importez-la à nouveau.</translation>
    </message>
    <message>
        <source>a single quote is not closed.</source>
        <translation>un guillemet simple n&apos;est pas fermé.</translation>
    </message>
    <message>
        <source>a double quote is not closed.</source>
        <translation>un guillemet double n&apos;est pas fermé.</translation>
    </message>
    <message>
        <source>the substitution &apos;%1&apos; is malformed.</source>
        <translation>la substitution &apos;%1&apos; est mal formée.</translation>
    </message>
    <message>
        <source>the substitution &apos;%1&apos; is not closed.</source>
        <translation>la substitution &apos;%1&apos; n&apos;est pas fermée.</translation>
    </message>
    <message>
        <source>%1 is not set.</source>
        <translation>%1 n&apos;est pas définie.</translation>
    </message>
    <message>
        <source>%1 is not set: %2.</source>
        <translation>%1 n&apos;est pas définie : %2.</translation>
    </message>
    <message>
        <source>the substitution &apos;%1&apos; uses the unsupported modifier &apos;:%2&apos;.</source>
        <translation>la substitution &apos;%1&apos; utilise le modificateur &apos;:%2&apos;, non pris en charge.</translation>
    </message>
    <message>
        <source>%1 needs a name and a value.</source>
        <translation>%1 nécessite un nom et une valeur.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not of the form name=value.</source>
        <translation>&apos;%1&apos; n&apos;est pas de la forme nom=valeur.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has the protocol &apos;%2&apos;: use tcp, udp or sctp.</source>
        <translation>&apos;%1&apos; a le protocole &apos;%2&apos; : utilisez tcp, udp ou sctp.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a port or port range.</source>
        <translation>&apos;%1&apos; n&apos;est ni un port ni une plage de ports.</translation>
    </message>
    <message>
        <source>the port range &apos;%1&apos; ends before it starts.</source>
        <translation>la plage de ports &apos;%1&apos; se termine avant de commencer.</translation>
    </message>
    <message>
        <source>%1 is not supported by import: only %2 can be changed.</source>
        <translation>%1 n&apos;est pas pris en charge par import : seules les instructions %2 peuvent être modifiées.</translation>
    </message>
    <message>
        <source>%1 has no option --%2.</source>
        <translation>%1 n&apos;a pas d&apos;option --%2.</translation>
    </message>
    <message>
        <source>%1 needs a command: %1 [&quot;executable&quot;, &quot;argument&quot;] or %1 command argument.</source>
        <translation>%1 nécessite une commande : %1 [&quot;exécutable&quot;, &quot;argument&quot;] ou %1 commande argument.</translation>
    </message>
    <message>
        <source>ENV names cannot be blank.</source>
        <translation>Les noms ENV ne peuvent pas être vides.</translation>
    </message>
    <message>
        <source>LABEL names cannot be blank.</source>
        <translation>Les noms LABEL ne peuvent pas être vides.</translation>
    </message>
    <message>
        <source>EXPOSE needs at least one port.</source>
        <translation>EXPOSE nécessite au moins un port.</translation>
    </message>
    <message>
        <source>EXPOSE names too many ports.</source>
        <translation>EXPOSE indique trop de ports.</translation>
    </message>
    <message>
        <source>VOLUME needs at least one path.</source>
        <translation>VOLUME nécessite au moins un chemin.</translation>
    </message>
    <message>
        <source>VOLUME paths cannot be empty.</source>
        <translation>Les chemins VOLUME ne peuvent pas être vides.</translation>
    </message>
    <message>
        <source>%1 needs a value.</source>
        <translation>%1 nécessite une valeur.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a signal: use a name such as SIGTERM or a number.</source>
        <translation>&apos;%1&apos; n&apos;est pas un signal : utilisez un nom comme SIGTERM ou un numéro.</translation>
    </message>
    <message>
        <source>ONBUILD needs an instruction.</source>
        <translation>ONBUILD nécessite une instruction.</translation>
    </message>
    <message>
        <source>ONBUILD cannot trigger ONBUILD.</source>
        <translation>ONBUILD ne peut pas déclencher ONBUILD.</translation>
    </message>
    <message>
        <source>ONBUILD cannot trigger &apos;%1&apos;: it is not a Dockerfile build instruction.</source>
        <translation>ONBUILD ne peut pas déclencher &apos;%1&apos; : ce n&apos;est pas une instruction de construction de Dockerfile.</translation>
    </message>
    <message>
        <source>HEALTHCHECK needs CMD followed by a command, or NONE.</source>
        <translation>HEALTHCHECK nécessite CMD suivi d&apos;une commande, ou NONE.</translation>
    </message>
    <message>
        <source>HEALTHCHECK NONE takes no arguments.</source>
        <translation>HEALTHCHECK NONE ne prend aucun argument.</translation>
    </message>
    <message>
        <source>HEALTHCHECK has no type &apos;%1&apos;: use CMD or NONE.</source>
        <translation>HEALTHCHECK n&apos;a pas de type &apos;%1&apos; : utilisez CMD ou NONE.</translation>
    </message>
    <message>
        <source>HEALTHCHECK CMD needs a command.</source>
        <translation>HEALTHCHECK CMD nécessite une commande.</translation>
    </message>
    <message>
        <source>HEALTHCHECK --%1=%2 is not a duration such as 30s, 1m30s or 500ms.</source>
        <translation>HEALTHCHECK --%1=%2 n&apos;est pas une durée comme 30s, 1m30s ou 500ms.</translation>
    </message>
    <message>
        <source>HEALTHCHECK --%1 cannot be less than 1ms.</source>
        <translation>HEALTHCHECK --%1 ne peut pas être inférieur à 1ms.</translation>
    </message>
    <message>
        <source>HEALTHCHECK --retries=%1 is not a number of retries.</source>
        <translation>HEALTHCHECK --retries=%1 n&apos;est pas un nombre de tentatives.</translation>
    </message>
    <message>
        <source>HEALTHCHECK has no option --%1.</source>
        <translation>HEALTHCHECK n&apos;a pas d&apos;option --%1.</translation>
    </message>
    <message>
        <source>Cannot apply the change &apos;%1&apos;: %2</source>
        <translation>Impossible d&apos;appliquer la modification &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>manifest.json in &apos;%1&apos; is not valid: %2</source>
        <translation>manifest.json dans &apos;%1&apos; n&apos;est pas valide : %2</translation>
    </message>
    <message>
        <source>it nests too deeply.</source>
        <translation>son imbrication est trop profonde.</translation>
    </message>
    <message>
        <source>it is not a list.</source>
        <translation>ce n&apos;est pas une liste.</translation>
    </message>
    <message>
        <source>entry %1 has no Config.</source>
        <translation>l&apos;entrée %1 n&apos;a pas de Config.</translation>
    </message>
    <message>
        <source>entry %1 has no Layers.</source>
        <translation>l&apos;entrée %1 n&apos;a pas de Layers.</translation>
    </message>
    <message>
        <source>entry %1 has a layer that is not a file name.</source>
        <translation>l&apos;entrée %1 a une couche qui n&apos;est pas un nom de fichier.</translation>
    </message>
    <message>
        <source>entry %1 has RepoTags that are not a list.</source>
        <translation>l&apos;entrée %1 a des RepoTags qui ne sont pas une liste.</translation>
    </message>
    <message>
        <source>entry %1 has a tag that is not a string.</source>
        <translation>l&apos;entrée %1 a un tag qui n&apos;est pas une chaîne de caractères.</translation>
    </message>
    <message>
        <source>manifest.json tags an image &apos;%1&apos;: %2</source>
        <translation>manifest.json attribue à une image le tag &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>manifest.json tags an image &apos;%1&apos;, which is not a tag.</source>
        <translation>manifest.json attribue à une image le tag &apos;%1&apos;, qui n&apos;est pas un tag.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; appears more than once, with different contents.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; apparaît plusieurs fois, avec des contenus différents.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; declares %2 bytes, more than the %3 bytes free in the image store.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; déclare %2 octets, plus que les %3 octets libres dans le magasin d&apos;images.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; has %2 bytes: too large for image metadata.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; fait %2 octets : trop gros pour des métadonnées d&apos;image.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; holds more data than its header declares.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; contient plus de données que n&apos;en déclare son en-tête.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; is damaged or was altered: its content hashes to %2.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; est endommagée ou a été modifiée : son contenu a pour empreinte %2.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; is a link that leads through more than %2 links.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; est un lien qui passe par plus de %2 liens.</translation>
    </message>
    <message>
        <source>%1 names &apos;%2&apos;, which is not a file inside the archive.</source>
        <translation>%1 désigne &apos;%2&apos;, qui n&apos;est pas un fichier de l&apos;archive.</translation>
    </message>
    <message>
        <source>%1 names &apos;%2&apos;, which is not in the archive.</source>
        <translation>%1 désigne &apos;%2&apos;, qui est absent de l&apos;archive.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; has %2 bytes: too large for a manifest or an image configuration.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; fait %2 octets : trop gros pour un manifeste ou une configuration d&apos;image.</translation>
    </message>
    <message>
        <source>The archive holds more than %1 MiB of manifests and configurations.</source>
        <translation>L&apos;archive contient plus de %1 Mio de manifestes et de configurations.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; is not a JSON document.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; n&apos;est pas un document JSON.</translation>
    </message>
    <message>
        <source>%1 names the blob %2: Berth stores SHA-256 blobs only.</source>
        <translation>%1 désigne le blob %2 : Berth ne stocke que des blobs SHA-256.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; hashes to %2.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; a pour empreinte %2.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; has %2 bytes where %3 declares %4.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; fait %2 octets alors que %3 en déclare %4.</translation>
    </message>
    <message>
        <source>%1 declares %2 bytes for %3, which has %4.</source>
        <translation>%1 déclare %2 octets pour %3, qui en fait %4.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; is a %2, not an image manifest.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; est de type %2, pas un manifeste d&apos;image.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos;: %2</source>
        <translation>Entrée d&apos;archive &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; lists %2 layers where its configuration %3 lists %4.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; liste %2 couches alors que sa configuration %3 en liste %4.</translation>
    </message>
    <message>
        <source>Layer &apos;%1&apos; does not match the image configuration: it is %2 where the configuration lists %3.</source>
        <translation>La couche &apos;%1&apos; ne correspond pas à la configuration de l&apos;image : elle a pour empreinte %2 alors que la configuration indique %3.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; nests image indexes too deeply.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; imbrique des index d&apos;image trop profondément.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; is an image index without images.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; est un index d&apos;image sans images.</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>Layer &apos;%1&apos; decompresses to more than the %2 bytes free in the image store.</source>
        <translation>La couche &apos;%1&apos; décompressée dépasse les %2 octets libres dans le magasin d&apos;images.</translation>
    </message>
    <message>
        <source>Layer &apos;%1&apos; does not match the image configuration: its decompressed content hashes to %2 where the configuration lists %3.</source>
        <translation>La couche &apos;%1&apos; ne correspond pas à la configuration de l&apos;image : son contenu décompressé a pour empreinte %2 alors que la configuration indique %3.</translation>
    </message>
    <message>
        <source>Layer &apos;%1&apos; does not match the image configuration: its content hashes to %2 where the configuration lists %3.</source>
        <translation>La couche &apos;%1&apos; ne correspond pas à la configuration de l&apos;image : son contenu a pour empreinte %2 alors que la configuration indique %3.</translation>
    </message>
    <message>
        <source>manifest.json lists %1 layers for &apos;%2&apos;, whose configuration lists %3.</source>
        <translation>manifest.json liste %1 couches pour &apos;%2&apos;, dont la configuration en liste %3.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; lists an invalid diff_id: %2</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; liste un diff_id non valide : %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is empty: there is no image to load.</source>
        <translation>&apos;%1&apos; est vide : il n&apos;y a aucune image à charger.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an image archive: it has neither manifest.json nor index.json.</source>
        <translation>&apos;%1&apos; n&apos;est pas une archive d&apos;images : elle ne contient ni manifest.json ni index.json.</translation>
    </message>
    <message>
        <source>index.json in &apos;%1&apos; nests too deeply.</source>
        <translation>index.json dans &apos;%1&apos; a une imbrication trop profonde.</translation>
    </message>
    <message>
        <source>index.json in &apos;%1&apos; is not valid: %2</source>
        <translation>index.json dans &apos;%1&apos; n&apos;est pas valide : %2</translation>
    </message>
    <message>
        <source>Blob %1 was removed from the image store while the archive was loading; load it again.</source>
        <translation>Le blob %1 a été supprimé du magasin d&apos;images pendant le chargement de l&apos;archive ; chargez-la à nouveau.</translation>
    </message>
    <message>
        <source>Parts of the archive&apos;s images were removed from the image store while it was loading (a prune elsewhere?); load it again.</source>
        <translation>Des parties des images de l&apos;archive ont été supprimées du magasin d&apos;images pendant son chargement (un prune ailleurs ?) ; chargez-la à nouveau.</translation>
    </message>
    <message>
        <source>Name at least one image to save.</source>
        <translation>Indiquez au moins une image à enregistrer.</translation>
    </message>
    <message>
        <source>Image %1 is incomplete in the store (%2 is missing); pull it again or run &apos;berthctl fsck&apos;.</source>
        <translation>L&apos;image %1 est incomplète dans le magasin (%2 est absent) ; téléchargez-la à nouveau ou lancez &apos;berthctl fsck&apos;.</translation>
    </message>
    <message>
        <source>Hard link &apos;%1&apos; of layer %2 points to &apos;%3&apos;, which the layers below it do not hold.</source>
        <translation>Le lien physique &apos;%1&apos; de la couche %2 pointe vers &apos;%3&apos;, que les couches inférieures ne contiennent pas.</translation>
    </message>
    <message>
        <source>Layer %1 of the image is not in the image store.</source>
        <translation>La couche %1 de l&apos;image est absente du magasin d&apos;images.</translation>
    </message>
    <message>
        <source>Layer %1: %2</source>
        <translation>Couche %1 : %2</translation>
    </message>
    <message>
        <source>Layer %1: hard link &apos;%2&apos; points to the directory &apos;%3&apos;.</source>
        <translation>Couche %1 : le lien physique &apos;%2&apos; pointe vers le répertoire &apos;%3&apos;.</translation>
    </message>
    <message>
        <source>Layer %1 changed while it was being read.</source>
        <translation>La couche %1 a changé pendant sa lecture.</translation>
    </message>
    <message>
        <source>regular file</source>
        <translation>fichier ordinaire</translation>
    </message>
    <message>
        <source>directory</source>
        <translation>répertoire</translation>
    </message>
    <message>
        <source>symbolic link</source>
        <translation>lien symbolique</translation>
    </message>
    <message>
        <source>hard link</source>
        <translation>lien physique</translation>
    </message>
    <message>
        <source>character device</source>
        <translation>périphérique en mode caractère</translation>
    </message>
    <message>
        <source>block device</source>
        <translation>périphérique en mode bloc</translation>
    </message>
    <message>
        <source>named pipe</source>
        <translation>tube nommé</translation>
    </message>
    <message>
        <source>socket</source>
        <translation>socket</translation>
    </message>
    <message>
        <source>unknown entry type</source>
        <translation>type d&apos;entrée inconnu</translation>
    </message>
    <message>
        <source>Out of memory opening &apos;%1&apos;.</source>
        <translation>Mémoire insuffisante pour ouvrir &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Cannot read &apos;%1&apos;</source>
        <translation>Impossible de lire &apos;%1&apos;</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a readable archive or is damaged</source>
        <translation>&apos;%1&apos; n&apos;est pas une archive lisible ou est endommagée</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is damaged</source>
        <translation>&apos;%1&apos; est endommagé</translation>
    </message>
    <message>
        <source>Cannot read &apos;%1&apos; from &apos;%2&apos;</source>
        <translation>Impossible de lire &apos;%1&apos; depuis &apos;%2&apos;</translation>
    </message>
    <message>
        <source>Cannot skip &apos;%1&apos; in &apos;%2&apos;</source>
        <translation>Impossible d&apos;ignorer &apos;%1&apos; dans &apos;%2&apos;</translation>
    </message>
    <message>
        <source>Unknown compression &apos;%1&apos;: use none, gzip, zstd, xz or bzip2.</source>
        <translation>Compression &apos;%1&apos; inconnue : utilisez none, gzip, zstd, xz ou bzip2.</translation>
    </message>
    <message>
        <source>Out of memory writing &apos;%1&apos;.</source>
        <translation>Mémoire insuffisante pour écrire &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Cannot compress &apos;%1&apos; with %2: %3</source>
        <translation>Impossible de compresser &apos;%1&apos; avec %2 : %3</translation>
    </message>
    <message>
        <source>Cannot write to %1</source>
        <translation>Impossible d&apos;écrire dans %1</translation>
    </message>
    <message>
        <source>Cannot write &apos;%1&apos; to &apos;%2&apos;</source>
        <translation>Impossible d&apos;écrire &apos;%1&apos; dans &apos;%2&apos;</translation>
    </message>
    <message>
        <source>the entry is already complete</source>
        <translation>l&apos;entrée est déjà complète</translation>
    </message>
    <message>
        <source>Cannot read &apos;%1&apos;: %2</source>
        <translation>Impossible de lire &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>Cannot read &apos;%1&apos;: it ended after %2 of %3 bytes.</source>
        <translation>Impossible de lire &apos;%1&apos; : le fichier s&apos;arrête après %2 octets sur %3.</translation>
    </message>
    <message>
        <source>Cannot finish &apos;%1&apos;</source>
        <translation>Impossible de terminer &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Cannot import from &apos;%1&apos;: only http and https URLs are supported.</source>
        <translation>Impossible d&apos;importer depuis &apos;%1&apos; : seules les URL http et https sont prises en charge.</translation>
    </message>
    <message>
        <source>Cannot download &apos;%1&apos;: the server answered HTTP %2.</source>
        <translation>Impossible de télécharger &apos;%1&apos; : le serveur a répondu HTTP %2.</translation>
    </message>
    <message>
        <source>Cannot download &apos;%1&apos;: %2</source>
        <translation>Impossible de télécharger &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>No archive to read.</source>
        <translation>Aucune archive à lire.</translation>
    </message>
    <message>
        <source>The image has no %1 platform: it is %2.</source>
        <translation>L&apos;image n&apos;a pas de plateforme %1 : sa plateforme est %2.</translation>
    </message>
    <message>
        <source>The image has no %1 platform.</source>
        <translation>L&apos;image n&apos;a pas de plateforme %1.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is empty.</source>
        <translation>&apos;%1&apos; est vide.</translation>
    </message>
    <message>
        <source>Save images to a tar archive</source>
        <translation>Enregistrer des images dans une archive tar</translation>
    </message>
    <message>
        <source>Load images from a tar archive</source>
        <translation>Charger des images depuis une archive tar</translation>
    </message>
    <message>
        <source>Export a container&apos;s or an image&apos;s filesystem as a tar archive</source>
        <translation>Exporter le système de fichiers d&apos;un conteneur ou d&apos;une image en archive tar</translation>
    </message>
    <message>
        <source>Import a filesystem tar archive as an image</source>
        <translation>Importer l&apos;archive tar d&apos;un système de fichiers comme image</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <source>Docker</source>
        <translation>Docker</translation>
    </message>
    <message>
        <source>Podman</source>
        <translation>Podman</translation>
    </message>
    <message>
        <source>Embedded store</source>
        <translation>Magasin intégré</translation>
    </message>
    <message>
        <source>The answer is larger than the %1 bytes allowed.</source>
        <translation>La réponse dépasse les %1 octets autorisés.</translation>
    </message>
    <message>
        <source>Could not read the data to upload: %1</source>
        <translation>Impossible de lire les données à envoyer : %1</translation>
    </message>
    <message>
        <source>the answer is larger than %1 MiB (%2 bytes)</source>
        <translation>la réponse dépasse %1 Mio (%2 octets)</translation>
    </message>
    <message>
        <source>Layer &apos;%1&apos;</source>
        <translation>La couche « %1 »</translation>
    </message>
    <message>
        <source>%1 is refused: %2</source>
        <translation>%1 est refusée : %2</translation>
    </message>
    <message>
        <source>%1 is refused.</source>
        <translation>%1 est refusée.</translation>
    </message>
    <message>
        <source>%1 has %2 layers where its configuration lists %3 diff_ids.</source>
        <translation>%1 a %2 couches alors que sa configuration liste %3 diff_ids.</translation>
    </message>
    <message>
        <source>Layer %1 of %2 does not match the image configuration: it unpacks to %3 where the configuration lists %4.</source>
        <translation>La couche %1 de %2 ne correspond pas à la configuration de l&apos;image : une fois décompressée, elle donne %3 alors que la configuration indique %4.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a symbolic link to &apos;%2&apos;: nothing was written. Berth does not write through links; to replace &apos;%2&apos;, name it instead.</source>
        <translation>« %1 » est un lien symbolique vers « %2 » : rien n&apos;a été écrit. Berth n&apos;écrit jamais à travers un lien ; pour remplacer « %2 », indiquez ce chemin-là.</translation>
    </message>
    <message>
        <source>The image store %1 is not usable: %2 is a symbolic link, and Berth does not follow links inside its store. Replace the link with the %3 it points to.</source>
        <translation>Le magasin d&apos;images %1 est inutilisable : %2 est un lien symbolique, et Berth ne suit pas les liens à l&apos;intérieur de son magasin. Remplacez le lien par le %3 vers lequel il pointe.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>Could not create a file in the image store %1: %2</source>
        <translation>Impossible de créer un fichier dans le magasin d&apos;images %1 : %2</translation>
    </message>
    <message>
        <source>Cannot read &apos;%1&apos;.</source>
        <translation>Impossible de lire « %1 ».</translation>
    </message>
    <message>
        <source>data follows the end of the gzip stream</source>
        <translation>des données suivent la fin du flux gzip</translation>
    </message>
    <message>
        <source>the gzip checksum (CRC) does not match the data</source>
        <translation>la somme de contrôle gzip (CRC) ne correspond pas aux données</translation>
    </message>
    <message>
        <source>invalid gzip data</source>
        <translation>données gzip invalides</translation>
    </message>
    <message>
        <source>the gzip data ends early (truncated)</source>
        <translation>les données gzip s&apos;arrêtent trop tôt (tronquées)</translation>
    </message>
    <message>
        <source>its first tar header is also compressed data</source>
        <translation>son premier en-tête tar est lui aussi compressé</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a filesystem archive (as docker export writes), not an image archive: import it to make an image of it.</source>
        <translation>&apos;%1&apos; est une archive de système de fichiers (comme celles qu&apos;écrit docker export), pas une archive d&apos;images : importez-la pour en faire une image.</translation>
    </message>
    <message>
        <source>Reading %1 was cancelled.</source>
        <translation>La lecture de %1 a été annulée.</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en cours d&apos;exécution</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>en cours de redémarrage</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <source>&apos;%1&apos; (%2)</source>
        <translation>&apos;%1&apos; (%2)</translation>
    </message>
    <message>
        <source>%1 is used by the container %2. Remove the container first, or force.</source>
        <translation>Le conteneur %2 utilise %1. Supprimez d&apos;abord le conteneur, ou forcez la suppression.</translation>
    </message>
    <message numerus="yes">
        <source>%1 is used by %n container(s): %2. Remove them first, or force.</source>
        <translation>
            <numerusform>%n conteneur utilise %1 : %2. Supprimez-le d&apos;abord, ou forcez la suppression.</numerusform>
            <numerusform>%n conteneurs utilisent %1 : %2. Supprimez-les d&apos;abord, ou forcez la suppression.</numerusform>
        </translation>
    </message>
    <message>
        <source>Show how a local image was built, step by step</source>
        <translation>Afficher comment une image locale a été construite, étape par étape</translation>
    </message>
    <message>
        <source>The container engine refused: %1</source>
        <translation>Le moteur de conteneurs a refusé : %1</translation>
    </message>
    <message>
        <source>The engine could not load the archive: %1</source>
        <translation>Le moteur n&apos;a pas pu charger l&apos;archive : %1</translation>
    </message>
    <message>
        <source>Cannot talk to the container engine at %1: %2</source>
        <translation>Impossible de communiquer avec le moteur de conteneurs %1 : %2</translation>
    </message>
    <message>
        <source>Image archives %1</source>
        <translation>Archives d&apos;images %1</translation>
    </message>
    <message>
        <source>Filesystem archives %1</source>
        <translation>Archives de systèmes de fichiers %1</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>%1 answered a resume with the wrong range (%2).</source>
        <translation>La reprise du téléchargement a reçu une plage incorrecte (%2) pour %1.</translation>
    </message>
    <message>
        <source>%1 is larger than the %2 bytes its descriptor declares.</source>
        <translation>%1 dépasse les %2 octets déclarés par son descripteur.</translation>
    </message>
    <message>
        <source>%1 has %2 bytes where its descriptor declares %3.</source>
        <translation>%1 fait %2 octets alors que son descripteur en déclare %3.</translation>
    </message>
    <message>
        <source>The registry sent an invalid list for %1: %2</source>
        <translation>Le registre a envoyé une liste non valide pour %1 : %2</translation>
    </message>
    <message>
        <source>Parts of %1 were removed from the image store while it was being pulled (a prune elsewhere?); pull it again.</source>
        <translation>Des parties de %1 ont été supprimées du magasin d&apos;images pendant son téléchargement (un prune ailleurs ?) ; téléchargez-la à nouveau.</translation>
    </message>
    <message>
        <source>There is no local image %1; tag an image with that name first.</source>
        <translation>Il n&apos;y a pas d&apos;image locale %1 ; taguez d&apos;abord une image avec ce nom.</translation>
    </message>
    <message>
        <source>The image store lacks blob %1 of %2; run fsck, then pull the image again.</source>
        <translation>Il manque au magasin d&apos;images le blob %1 de %2 ; lancez fsck, puis téléchargez l&apos;image à nouveau.</translation>
    </message>
    <message>
        <source>The engine could not import the archive: %1</source>
        <translation>Le moteur n&apos;a pas pu importer l&apos;archive : %1</translation>
    </message>
    <message>
        <source>The engine imported the archive but did not say which image it made.</source>
        <translation>Le moteur a importé l&apos;archive sans indiquer quelle image il a créée.</translation>
    </message>
    <message>
        <source>Cannot write &apos;%1&apos; in &apos;%2&apos;: %3</source>
        <translation>Impossible d&apos;écrire &apos;%1&apos; dans &apos;%2&apos; : %3</translation>
    </message>
    <message>
        <source>Refusing to write &apos;%1&apos;: it is not a path inside &apos;%2&apos;.</source>
        <translation>Écriture de &apos;%1&apos; refusée : ce n&apos;est pas un chemin à l&apos;intérieur de &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>Cannot write &apos;%1&apos; in &apos;%2&apos;: &apos;%3&apos; there is not a folder (symbolic links are never followed).</source>
        <translation>Impossible d&apos;écrire &apos;%1&apos; dans &apos;%2&apos; : &apos;%3&apos; n&apos;y est pas un dossier (les liens symboliques ne sont jamais suivis).</translation>
    </message>
    <message>
        <source>Refusing to link &apos;%1&apos; to &apos;%2&apos;: only files of this copy can be linked to.</source>
        <translation>Lien de &apos;%1&apos; vers &apos;%2&apos; refusé : seuls les fichiers de cette copie peuvent être la cible d&apos;un lien.</translation>
    </message>
    <message>
        <source>Cannot create the folder &apos;%1&apos;.</source>
        <translation>Impossible de créer le dossier &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Cannot open the folder &apos;%1&apos;: %2</source>
        <translation>Impossible d&apos;ouvrir le dossier &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>The image has %1 layers; at most %2 can be looked inside.</source>
        <translation>L&apos;image a %1 couches ; on peut regarder dans %2 au plus.</translation>
    </message>
    <message numerus="yes">
        <source>The image has no layer %1 (it has %n layer(s)).</source>
        <translation>
            <numerusform>L&apos;image n&apos;a pas de couche %1 (elle a %n couche).</numerusform>
            <numerusform>L&apos;image n&apos;a pas de couche %1 (elle a %n couches).</numerusform>
        </translation>
    </message>
    <message>
        <source>Whiteout &apos;%1&apos; names no file of its directory.</source>
        <translation>Le whiteout &apos;%1&apos; ne nomme aucun fichier de son dossier.</translation>
    </message>
    <message>
        <source>Every file is out.</source>
        <translation>Tous les fichiers sont extraits.</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>%1 has no file &apos;%2&apos;.</source>
        <translation>%1 n&apos;a pas de fichier &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>Hard link &apos;%1&apos; of %2 points to &apos;%3&apos;, which was not read.</source>
        <translation>Le lien physique &apos;%1&apos; de %2 pointe vers &apos;%3&apos;, qui n&apos;a pas été lu.</translation>
    </message>
    <message>
        <source>%1 cannot be indexed: %2</source>
        <translation>Impossible d&apos;indexer %1 : %2</translation>
    </message>
    <message>
        <source>%1 does not match its digest %2: its bytes hash to %3.</source>
        <translation>%1 ne correspond pas à son empreinte %2 : ses octets donnent %3.</translation>
    </message>
    <message>
        <source>%1 does not match its diff_id %2: it unpacks to %3.</source>
        <translation>%1 ne correspond pas à son diff_id %2 : décompressée, elle donne %3.</translation>
    </message>
    <message>
        <source>The image has no &apos;%1&apos; (looking for &apos;%2&apos;).</source>
        <translation>L&apos;image n&apos;a pas de &apos;%1&apos; (en cherchant &apos;%2&apos;).</translation>
    </message>
    <message>
        <source>Too many levels of symbolic links in &apos;%1&apos; (more than %2).</source>
        <translation>Trop de niveaux de liens symboliques dans &apos;%1&apos; (plus de %2).</translation>
    </message>
    <message>
        <source>The symbolic link &apos;%1&apos; points nowhere (looking for &apos;%2&apos;).</source>
        <translation>Le lien symbolique &apos;%1&apos; ne pointe nulle part (en cherchant &apos;%2&apos;).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a folder (looking for &apos;%2&apos;).</source>
        <translation>&apos;%1&apos; n&apos;est pas un dossier (en cherchant &apos;%2&apos;).</translation>
    </message>
    <message>
        <source>Only one file can be read at a time, not also &apos;%1&apos;.</source>
        <translation>Un seul fichier peut être lu à la fois, pas aussi &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a regular file.</source>
        <translation>&apos;%1&apos; n&apos;est pas un fichier ordinaire.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; holds more than the %2 bytes its header declares.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; contient plus que les %2 octets déclarés par son en-tête.</translation>
    </message>
    <message>
        <source>%1 in &apos;%2&apos; names &apos;%3&apos;, which is not in the archive.</source>
        <translation>%1 dans &apos;%2&apos; nomme &apos;%3&apos;, qui n&apos;est pas dans l&apos;archive.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; of &apos;%2&apos; is not a JSON document (or is too large for one).</source>
        <translation>L&apos;entrée &apos;%1&apos; de &apos;%2&apos; n&apos;est pas un document JSON (ou elle est trop grande pour en être un).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; lists %2 layers where the image&apos;s manifest lists %3.</source>
        <translation>&apos;%1&apos; liste %2 couches là où le manifeste de l&apos;image en liste %3.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; lists an invalid diff_id: %2</source>
        <translation>&apos;%1&apos; liste un diff_id invalide : %2</translation>
    </message>
    <message>
        <source>%1 names the blob %2: only SHA-256 blobs can be read.</source>
        <translation>%1 nomme le blob %2 : seuls les blobs SHA-256 peuvent être lus.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; of &apos;%2&apos; does not hash to its name.</source>
        <translation>L&apos;empreinte de l&apos;entrée &apos;%1&apos; de &apos;%2&apos; ne correspond pas à son nom.</translation>
    </message>
    <message>
        <source>Archive entry &apos;%1&apos; is not a usable image index.</source>
        <translation>L&apos;entrée d&apos;archive &apos;%1&apos; n&apos;est pas un index d&apos;images utilisable.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; holds no image.</source>
        <translation>&apos;%1&apos; ne contient aucune image.</translation>
    </message>
    <message numerus="yes">
        <source>&apos;%1&apos; holds %n image(s); say which one: %2</source>
        <translation>
            <numerusform>&apos;%1&apos; contient %n image ; indiquez laquelle : %2</numerusform>
            <numerusform>&apos;%1&apos; contient %n images ; indiquez laquelle : %2</numerusform>
        </translation>
    </message>
    <message>
        <source>&apos;%1&apos; has no image &apos;%2&apos;; it holds: %3</source>
        <translation>&apos;%1&apos; n&apos;a pas d&apos;image &apos;%2&apos; ; elle contient : %3</translation>
    </message>
    <message>
        <source>&apos;%2&apos; names several images of &apos;%1&apos;: %3</source>
        <translation>&apos;%2&apos; désigne plusieurs images de &apos;%1&apos; : %3</translation>
    </message>
    <message>
        <source>Could not read the archive &apos;%1&apos;: %2</source>
        <translation>Impossible de lire l&apos;archive &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>%1 has no layer %2.</source>
        <translation>%1 n&apos;a pas de couche %2.</translation>
    </message>
    <message>
        <source>Could not read layer %1 from the image store: %2</source>
        <translation>Impossible de lire la couche %1 depuis le magasin d&apos;images : %2</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 dans %2</translation>
    </message>
    <message>
        <source>The image backend is gone.</source>
        <translation>Le moteur d&apos;images n&apos;est plus là.</translation>
    </message>
    <message>
        <source>the embedded store</source>
        <translation>le magasin intégré</translation>
    </message>
    <message>
        <source>Docker Engine</source>
        <translation>Docker Engine</translation>
    </message>
    <message>
        <source>Layer %1 (%2) of %3</source>
        <translation>Couche %1 (%2) de %3</translation>
    </message>
    <message>
        <source>%1 has a hard link to &apos;%2&apos;, which it does not hold.</source>
        <translation>%1 a un lien physique vers &apos;%2&apos;, qu&apos;elle ne contient pas.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a folder, not a file.</source>
        <translation>&apos;%1&apos; est un dossier, pas un fichier.</translation>
    </message>
    <message numerus="yes">
        <source>%1 has no layer %2; it has %n layer(s).</source>
        <translation>
            <numerusform>%1 n&apos;a pas de couche %2 ; elle a %n couche.</numerusform>
            <numerusform>%1 n&apos;a pas de couche %2 ; elle a %n couches.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not open a pipe: %1</source>
        <translation>Impossible d&apos;ouvrir un tube : %1</translation>
    </message>
    <message>
        <source>the save of %1</source>
        <translation>l&apos;enregistrement de %1</translation>
    </message>
    <message>
        <source>The engine&apos;s save of %1 does not hold that image.</source>
        <translation>L&apos;enregistrement de %1 par le moteur ne contient pas cette image.</translation>
    </message>
    <message numerus="yes">
        <source>&apos;%1&apos; ended without the layer file(s) %2.</source>
        <translation>
            <numerusform>&apos;%1&apos; s&apos;est terminé sans le fichier de couche %2.</numerusform>
            <numerusform>&apos;%1&apos; s&apos;est terminé sans les fichiers de couche %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 depuis %2</translation>
    </message>
    <message>
        <source>%1 has no image for this platform.</source>
        <translation>%1 n&apos;a pas d&apos;image pour cette plateforme.</translation>
    </message>
    <message>
        <source>Could not create a temporary file in %1: %2</source>
        <translation>Impossible de créer un fichier temporaire dans %1 : %2</translation>
    </message>
    <message>
        <source>List the files inside an image, or a layer&apos;s changes</source>
        <translation>Lister les fichiers d&apos;une image, ou les changements d&apos;une couche</translation>
    </message>
    <message>
        <source>Write a file of an image to standard output</source>
        <translation>Écrire un fichier d&apos;une image sur la sortie standard</translation>
    </message>
    <message>
        <source>Copy a file or a folder out of an image</source>
        <translation>Copier un fichier ou un dossier hors d&apos;une image</translation>
    </message>
    <message>
        <source>Compare two images file by file</source>
        <translation>Comparer deux images fichier par fichier</translation>
    </message>
    <message>
        <source>Show each layer&apos;s size, wasted space and the largest files</source>
        <translation>Afficher la taille de chaque couche, l&apos;espace gaspillé et les plus gros fichiers</translation>
    </message>
    <message>
        <source>The contents index &apos;%1&apos; is damaged: %2.</source>
        <translation>L&apos;index de contenu &apos;%1&apos; est endommagé : %2.</translation>
    </message>
    <message>
        <source>Cannot write &apos;%1&apos;: %2.</source>
        <translation>Impossible d&apos;écrire &apos;%1&apos; : %2.</translation>
    </message>
    <message>
        <source>Cannot open &apos;%1&apos;: %2.</source>
        <translation>Impossible d&apos;ouvrir &apos;%1&apos; : %2.</translation>
    </message>
    <message>
        <source>it is too short</source>
        <translation>il est trop court</translation>
    </message>
    <message>
        <source>Cannot map &apos;%1&apos;: %2.</source>
        <translation>Impossible de projeter &apos;%1&apos; en mémoire : %2.</translation>
    </message>
    <message>
        <source>it is not a contents index</source>
        <translation>ce n&apos;est pas un index de contenu</translation>
    </message>
    <message>
        <source>it has version %1 where %2 is expected</source>
        <translation>il est en version %1 là où %2 est attendue</translation>
    </message>
    <message>
        <source>its offsets point outside the file</source>
        <translation>ses positions pointent hors du fichier</translation>
    </message>
    <message>
        <source>entry %1 points outside the file</source>
        <translation>l&apos;entrée %1 pointe hors du fichier</translation>
    </message>
    <message>
        <source>Cannot write in &apos;%1&apos;: %2.</source>
        <translation>Impossible d&apos;écrire dans &apos;%1&apos; : %2.</translation>
    </message>
    <message>
        <source>Cannot write &apos;%1&apos;.</source>
        <translation>Impossible d&apos;écrire &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Cannot read back &apos;%1&apos;.</source>
        <translation>Impossible de relire &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>no network access for Docker Hub</source>
        <translation>pas d&apos;accès réseau pour Docker Hub</translation>
    </message>
    <message>
        <source>Deleting on Docker Hub needs a Docker Hub login with a user name and a password or personal access token; log in to docker.io first.</source>
        <translation>Supprimer sur Docker Hub demande une connexion à Docker Hub avec un nom d&apos;utilisateur et un mot de passe ou un jeton d&apos;accès personnel ; connectez-vous d&apos;abord à docker.io.</translation>
    </message>
    <message>
        <source>Docker Hub refused the login of &apos;%1&apos;. Check the password or personal access token kept for docker.io.</source>
        <translation>Docker Hub a refusé la connexion de &apos;%1&apos;. Vérifiez le mot de passe ou le jeton d&apos;accès personnel enregistré pour docker.io.</translation>
    </message>
    <message>
        <source>Docker Hub&apos;s login answer for &apos;%1&apos; carried no token.</source>
        <translation>La réponse de Docker Hub à la connexion de &apos;%1&apos; ne contenait aucun jeton.</translation>
    </message>
    <message>
        <source>&apos;%1:%2&apos; is not a Docker Hub tag that can be deleted.</source>
        <translation>&apos;%1:%2&apos; n&apos;est pas un tag Docker Hub qui puisse être supprimé.</translation>
    </message>
    <message>
        <source>Docker Hub does not let &apos;%1&apos; delete the tag &apos;%2&apos;. Log in to docker.io with an account that may delete tags of this repository (a personal access token needs the delete permission).</source>
        <translation>Docker Hub ne permet pas à &apos;%1&apos; de supprimer le tag &apos;%2&apos;. Connectez-vous à docker.io avec un compte autorisé à supprimer les tags de ce dépôt (un jeton d&apos;accès personnel doit avoir la permission de suppression).</translation>
    </message>
    <message>
        <source>Docker Hub has no tag &apos;%1&apos; to delete.</source>
        <translation>Docker Hub n&apos;a pas de tag &apos;%1&apos; à supprimer.</translation>
    </message>
    <message>
        <source>%1 does not allow deleting images (deletes are turned off in its configuration), so %2 was not deleted. Ask its administrator to enable deletes (storage.delete.enabled in a distribution registry).</source>
        <translation>%1 n&apos;autorise pas la suppression d&apos;images (elle est désactivée dans sa configuration) : %2 n&apos;a donc pas été supprimé. Demandez à son administrateur d&apos;activer les suppressions (storage.delete.enabled dans un registre distribution).</translation>
    </message>
    <message>
        <source>%1 does not let anonymous users delete %2. Log in to %1 with an account that may delete images in this repository.</source>
        <translation>%1 ne permet pas aux utilisateurs anonymes de supprimer %2. Connectez-vous à %1 avec un compte autorisé à supprimer des images dans ce dépôt.</translation>
    </message>
    <message>
        <source>%1 does not let the account &apos;%2&apos; delete %3. Log in with an account that may delete images in this repository.</source>
        <translation>%1 ne permet pas au compte &apos;%2&apos; de supprimer %3. Connectez-vous avec un compte autorisé à supprimer des images dans ce dépôt.</translation>
    </message>
    <message>
        <source>%1 was not found on %2, so there was nothing to delete.</source>
        <translation>%1 est introuvable sur %2 : il n&apos;y avait rien à supprimer.</translation>
    </message>
    <message numerus="yes">
        <source>The upload took no data for %n second(s).</source>
        <translation>
            <numerusform>L&apos;envoi n&apos;a reçu aucune donnée pendant %n seconde.</numerusform>
            <numerusform>L&apos;envoi n&apos;a reçu aucune donnée pendant %n secondes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The download sent no data for %n second(s).</source>
        <translation>
            <numerusform>Le téléchargement n&apos;a fourni aucune donnée pendant %n seconde.</numerusform>
            <numerusform>Le téléchargement n&apos;a fourni aucune donnée pendant %n secondes.</numerusform>
        </translation>
    </message>
    <message>
        <source>The source registry ignored a resume and sent the blob again from its first byte, but the destination already received the start of it; run the copy again.</source>
        <translation>Le registre source a ignoré une reprise et renvoyé le blob depuis son premier octet, alors que la destination en avait déjà reçu le début ; relancez la copie.</translation>
    </message>
    <message>
        <source>Docker Hub deletes tags only for a logged-in account; log in to docker.io with a password or a personal access token first.</source>
        <translation>Docker Hub ne supprime des tags que pour un compte connecté ; connectez-vous d&apos;abord à docker.io avec un mot de passe ou un jeton d&apos;accès personnel.</translation>
    </message>
    <message>
        <source>The multi-platform image %1 needs a tag, not a digest: its digest is only known once it is pushed.</source>
        <translation>L&apos;image multi-plateforme %1 doit avoir un tag, pas une empreinte : son empreinte n&apos;est connue qu&apos;une fois l&apos;image publiée.</translation>
    </message>
    <message>
        <source>the source %1 does not have the digest %2 its entry names</source>
        <translation>la source %1 n&apos;a pas l&apos;empreinte %2 que nomme son entrée</translation>
    </message>
    <message>
        <source>the entry for %1 has no platform</source>
        <translation>l&apos;entrée de %1 n&apos;a pas de plateforme</translation>
    </message>
    <message numerus="yes">
        <source>it names %1 sources but its index lists %n image(s)</source>
        <translation>
            <numerusform>il nomme %1 sources mais son index liste %n image</numerusform>
            <numerusform>il nomme %1 sources mais son index liste %n images</numerusform>
        </translation>
    </message>
    <message>
        <source>it nests too deeply</source>
        <translation>ses imbrications sont trop profondes</translation>
    </message>
    <message>
        <source>it is not JSON (%1)</source>
        <translation>ce n&apos;est pas du JSON (%1)</translation>
    </message>
    <message>
        <source>it is not a JSON object</source>
        <translation>ce n&apos;est pas un objet JSON</translation>
    </message>
    <message>
        <source>Cannot read the manifest list file %1: %2.</source>
        <translation>Impossible de lire le fichier de liste de manifestes %1 : %2.</translation>
    </message>
    <message>
        <source>The manifest list file %1 is too large to be one of Berth&apos;s.</source>
        <translation>Le fichier de liste de manifestes %1 est trop gros pour venir de Berth.</translation>
    </message>
    <message>
        <source>The manifest list file %1 is damaged (%2). Remove it with &apos;berthctl manifest rm %3&apos; and create the list again.</source>
        <translation>Le fichier de liste de manifestes %1 est endommagé (%2). Supprimez-le avec &apos;berthctl manifest rm %3&apos; et créez la liste à nouveau.</translation>
    </message>
    <message>
        <source>The manifest list file %1 holds the list of %2, not of %3.</source>
        <translation>Le fichier de liste de manifestes %1 contient la liste de %2, pas celle de %3.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1 for manifest lists.</source>
        <translation>Impossible de créer le dossier %1 des listes de manifestes.</translation>
    </message>
    <message>
        <source>Cannot write the manifest list file %1: %2.</source>
        <translation>Impossible d&apos;écrire le fichier de liste de manifestes %1 : %2.</translation>
    </message>
    <message>
        <source>Cannot remove the manifest list file %1: %2.</source>
        <translation>Impossible de supprimer le fichier de liste de manifestes %1 : %2.</translation>
    </message>
    <message>
        <source>The manifest list %1 lists no image.</source>
        <translation>La liste de manifestes %1 ne contient aucune image.</translation>
    </message>
    <message>
        <source>The tag &apos;%1&apos; of %2 changed while Berth looked at it; nothing was deleted. Try again.</source>
        <translation>Le tag &apos;%1&apos; de %2 a changé pendant que Berth l&apos;examinait ; rien n&apos;a été supprimé. Réessayez.</translation>
    </message>
    <message>
        <source>Docker Hub lists no tag &apos;%1&apos; with a digest in %2; nothing was deleted.</source>
        <translation>Docker Hub ne liste aucun tag &apos;%1&apos; avec une empreinte dans %2 ; rien n&apos;a été supprimé.</translation>
    </message>
    <message>
        <source>No tag of %1 on Docker Hub points at %2, and Docker Hub deletes images only through their tags; nothing was deleted.</source>
        <translation>Aucun tag de %1 sur Docker Hub ne pointe vers %2, et Docker Hub ne supprime les images qu&apos;à travers leurs tags ; rien n&apos;a été supprimé.</translation>
    </message>
    <message>
        <source>The tag &apos;%1&apos; was removed from %2, but the tags %3 no longer point at %4 either.</source>
        <translation>Le tag &apos;%1&apos; a été retiré de %2, mais les tags %3 ne pointent plus vers %4 non plus.</translation>
    </message>
    <message>
        <source>The tag &apos;%1&apos; of %2 now points at the empty manifest %3, which could not be deleted, and could not be pointed back at %4: %5</source>
        <translation>Le tag &apos;%1&apos; de %2 pointe maintenant vers le manifeste vide %3, qui n&apos;a pas pu être supprimé, et n&apos;a pas pu être ramené vers %4 : %5</translation>
    </message>
    <message>
        <source>%1 names no tag; untag removes a tag, delete removes an image.</source>
        <translation>%1 ne nomme aucun tag ; untag retire un tag, delete supprime une image.</translation>
    </message>
    <message>
        <source>%1 no longer has an image for %2.</source>
        <translation>%1 n&apos;a plus d&apos;image pour %2.</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Non vérifiée</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <source>Update available</source>
        <translation>Mise à jour disponible</translation>
    </message>
    <message>
        <source>Not in registry</source>
        <translation>Absente du registre</translation>
    </message>
    <message>
        <source>Local only</source>
        <translation>Locale uniquement</translation>
    </message>
    <message>
        <source>Check failed</source>
        <translation>Échec de la vérification</translation>
    </message>
    <message>
        <source>%1 was not pulled from a registry: it was built, imported, loaded or tagged here, so there is nothing to compare.</source>
        <translation>%1 n&apos;a pas été tirée d&apos;un registre : elle a été construite, importée, chargée ou taguée ici, il n&apos;y a donc rien à comparer.</translation>
    </message>
    <message>
        <source>Remove one tag from a registry, keeping the image</source>
        <translation>Retirer un tag d&apos;un registre en gardant l&apos;image</translation>
    </message>
    <message>
        <source>Delete an image from a registry with all its tags</source>
        <translation>Supprimer une image d&apos;un registre avec tous ses tags</translation>
    </message>
    <message>
        <source>Copy an image from one registry or repository to another</source>
        <translation>Copier une image d&apos;un registre ou d&apos;un dépôt à un autre</translation>
    </message>
    <message>
        <source>Create, inspect and push multi-platform images</source>
        <translation>Créer, inspecter et publier des images multi-plateformes</translation>
    </message>
    <message>
        <source>List local images whose tags point elsewhere in the registry now</source>
        <translation>Lister les images locales dont les tags pointent désormais ailleurs dans le registre</translation>
    </message>
    <message>
        <source>Show the pull limit a registry states and the pulls remaining</source>
        <translation>Afficher la limite de téléchargements annoncée par un registre et ceux qui restent</translation>
    </message>
    <message>
        <source>%1: the registry has %2, this image came from %3.</source>
        <translation>%1 : le registre a %2, cette image provient de %3.</translation>
    </message>
    <message>
        <source>%1: up to date (%2).</source>
        <translation>%1 : à jour (%2).</translation>
    </message>
    <message>
        <source>%1 is no longer in its registry.</source>
        <translation>%1 n&apos;est plus dans son registre.</translation>
    </message>
    <message>
        <source>The upload of %1 started again.</source>
        <translation>L&apos;envoi de %1 a recommencé.</translation>
    </message>
    <message>
        <source>%1 and %2 are both for the platform %3: a multi-platform image can list only one image per platform.</source>
        <translation>%1 et %2 sont tous deux pour la plateforme %3 : une image multi-plateforme ne peut lister qu&apos;une image par plateforme.</translation>
    </message>
    <message>
        <source>Pushing %1 was cancelled.</source>
        <translation>L&apos;envoi de %1 a été annulé.</translation>
    </message>
    <message>
        <source>Copying %1 into %2 failed: %3</source>
        <translation>La copie de %1 dans %2 a échoué : %3</translation>
    </message>
    <message>
        <source>The registry stored the index of %1 as %2, not as %3: it changed what Berth sent.</source>
        <translation>Le registre a enregistré l&apos;index de %1 sous %2, et non %3 : il a modifié ce que Berth a envoyé.</translation>
    </message>
    <message>
        <source>Reading the images was cancelled.</source>
        <translation>La lecture des images a été annulée.</translation>
    </message>
    <message>
        <source>The sources list more than %1 images: Berth stops there.</source>
        <translation>Les sources listent plus de %1 images : Berth s&apos;arrête là.</translation>
    </message>
    <message>
        <source>%1 is neither an image manifest nor an index (%2): it cannot be part of a multi-platform image.</source>
        <translation>%1 n&apos;est ni un manifeste d&apos;image ni un index (%2) : il ne peut pas faire partie d&apos;une image multi-plateforme.</translation>
    </message>
    <message>
        <source>The index %1 lists no platform image.</source>
        <translation>L&apos;index %1 ne liste aucune image de plateforme.</translation>
    </message>
    <message>
        <source>The configuration of %1 names no operating system and architecture.</source>
        <translation>La configuration de %1 ne nomme ni système d&apos;exploitation ni architecture.</translation>
    </message>
    <message>
        <source>The destination %1 names neither a tag nor a digest.</source>
        <translation>La destination %1 ne nomme ni tag ni empreinte.</translation>
    </message>
    <message>
        <source>%1 is a %2, which Berth cannot copy.</source>
        <translation>%1 est un %2, que Berth ne sait pas copier.</translation>
    </message>
    <message>
        <source>%1 has no image for %2 (it has %3).</source>
        <translation>%1 n&apos;a pas d&apos;image pour %2 (plateformes disponibles : %3).</translation>
    </message>
    <message>
        <source>The manifest %1 in %2 is a %3, which Berth cannot copy.</source>
        <translation>Le manifeste %1 dans %2 est un %3, que Berth ne sait pas copier.</translation>
    </message>
    <message>
        <source>The destination %1 names the digest %2, but the copy of %3 is %4.</source>
        <translation>La destination %1 nomme l&apos;empreinte %2, mais la copie de %3 est %4.</translation>
    </message>
    <message>
        <source>Layer already exists</source>
        <translation>La couche existe déjà</translation>
    </message>
    <message>
        <source>Mounted from another repository</source>
        <translation>Montée depuis un autre dépôt</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>%1 stored the manifest as %2 instead of %3.</source>
        <translation>%1 a enregistré le manifeste sous %2 au lieu de %3.</translation>
    </message>
    <message>
        <source>Cannot download &apos;%1&apos;: it redirects too many times or to an address that is not http or https.</source>
        <translation>Impossible de télécharger « %1 » : l&apos;adresse redirige trop de fois, ou vers une adresse qui n&apos;est ni http ni https.</translation>
    </message>
    <message>
        <source>The proxy&apos;s password could not be read from the keychain: %1</source>
        <translation>Le mot de passe du proxy n&apos;a pas pu être lu dans le trousseau : %1</translation>
    </message>
    <message>
        <source>The client key %1 is encrypted with a pass phrase; Berth can only use a key without one (as docker and podman). Decrypt it, e.g. with `openssl pkey -in %1 -out %1`.</source>
        <translation>La clé client %1 est chiffrée par une phrase secrète ; Berth ne peut utiliser qu&apos;une clé sans phrase secrète (comme docker et podman). Déchiffrez-la, par exemple avec `openssl pkey -in %1 -out %1`.</translation>
    </message>
    <message>
        <source>The client key %1 holds no private key in PEM form.</source>
        <translation>La clé client %1 ne contient aucune clé privée au format PEM.</translation>
    </message>
    <message>
        <source>The client key %1 is neither an RSA nor an EC key, the kinds Berth can use.</source>
        <translation>La clé client %1 n&apos;est ni une clé RSA ni une clé EC, les seules que Berth sait utiliser.</translation>
    </message>
    <message>
        <source>The client certificate %1 holds no certificate in PEM form.</source>
        <translation>Le certificat client %1 ne contient aucun certificat au format PEM.</translation>
    </message>
    <message>
        <source>The client key %1 does not belong to the client certificate %2: their public keys differ.</source>
        <translation>La clé client %1 ne correspond pas au certificat client %2 : leurs clés publiques diffèrent.</translation>
    </message>
    <message>
        <source>Berth could not load the client certificate %1 with its key %2.</source>
        <translation>Berth n&apos;a pas pu charger le certificat client %1 avec sa clé %2.</translation>
    </message>
    <message>
        <source>Check the proxy in Settings → Network.</source>
        <translation>Vérifiez le proxy dans Paramètres → Réseau.</translation>
    </message>
    <message>
        <source>Check the %1 environment variable, or choose a proxy in Settings → Network.</source>
        <translation>Vérifiez la variable d&apos;environnement %1, ou choisissez un proxy dans Paramètres → Réseau.</translation>
    </message>
    <message>
        <source>Check the proxy&apos;s user name and password in Settings → Network.</source>
        <translation>Vérifiez le nom d&apos;utilisateur et le mot de passe du proxy dans Paramètres → Réseau.</translation>
    </message>
    <message>
        <source>Enter the proxy&apos;s user name and password in Settings → Network.</source>
        <translation>Saisissez le nom d&apos;utilisateur et le mot de passe du proxy dans Paramètres → Réseau.</translation>
    </message>
    <message>
        <source>Put the login in the %1 variable (http://user:password@host:port), or set the proxy and its login in Settings → Network.</source>
        <translation>Mettez l&apos;identifiant dans la variable %1 (http://utilisateur:mot-de-passe@hôte:port), ou réglez le proxy et son identifiant dans Paramètres → Réseau.</translation>
    </message>
    <message>
        <source>The proxy %1 refused the connection (for %2).</source>
        <translation>Le proxy %1 a refusé la connexion (pour %2).</translation>
    </message>
    <message>
        <source>The proxy %1 closed the connection before answering (for %2).</source>
        <translation>Le proxy %1 a fermé la connexion avant de répondre (pour %2).</translation>
    </message>
    <message>
        <source>The proxy %1 was not found: its host name does not resolve.</source>
        <translation>Le proxy %1 est introuvable : son nom d&apos;hôte ne se résout pas.</translation>
    </message>
    <message>
        <source>The proxy %1 did not answer in time (for %2).</source>
        <translation>Le proxy %1 n&apos;a pas répondu à temps (pour %2).</translation>
    </message>
    <message>
        <source>The proxy %1 refused its user name or password (HTTP 407).</source>
        <translation>Le proxy %1 a refusé le nom d&apos;utilisateur ou le mot de passe (HTTP 407).</translation>
    </message>
    <message>
        <source>The proxy %1 requires a login (HTTP 407).</source>
        <translation>Le proxy %1 demande un identifiant (HTTP 407).</translation>
    </message>
    <message>
        <source>The proxy %1 could not reach %2: %3.</source>
        <translation>Le proxy %1 n&apos;a pas pu joindre %2 : %3.</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(inconnu)</translation>
    </message>
    <message>
        <source>%1 pull-from-mirror is &apos;%2&apos;; it must be all, digest-only or tag-only.</source>
        <translation>%1 pull-from-mirror vaut « %2 » ; il doit valoir all, digest-only ou tag-only.</translation>
    </message>
    <message>
        <source>A mirror of %1:</source>
        <translation>Un miroir de %1 :</translation>
    </message>
    <message>
        <source>%1 it has no location.</source>
        <translation>%1 il n&apos;a pas de location.</translation>
    </message>
    <message>
        <source>%1 location %2</source>
        <translation>%1 location %2</translation>
    </message>
    <message>
        <source>The mirrors of %1 must be [[registry.mirror]] tables.</source>
        <translation>Les miroirs de %1 doivent être des tables [[registry.mirror]].</translation>
    </message>
    <message>
        <source>A mirror of %1 is not a table.</source>
        <translation>Un miroir de %1 n&apos;est pas une table.</translation>
    </message>
    <message>
        <source>A [[registry]]:</source>
        <translation>Un [[registry]] :</translation>
    </message>
    <message>
        <source>A [[registry]] has neither a prefix nor a location.</source>
        <translation>Un [[registry]] n&apos;a ni prefix ni location.</translation>
    </message>
    <message>
        <source>A [[registry]] prefix %1</source>
        <translation>Un [[registry]] : prefix %1</translation>
    </message>
    <message>
        <source>The [[registry]] %1: location %2</source>
        <translation>Le [[registry]] %1 : location %2</translation>
    </message>
    <message>
        <source>The [[registry]] %1:</source>
        <translation>Le [[registry]] %1 :</translation>
    </message>
    <message>
        <source>registry must be a list of [[registry]] tables.</source>
        <translation>registry doit être une liste de tables [[registry]].</translation>
    </message>
    <message>
        <source>A [[registry]] entry is not a table.</source>
        <translation>Une entrée [[registry]] n&apos;est pas une table.</translation>
    </message>
    <message>
        <source>unqualified-search-registries must be a list of registries.</source>
        <translation>unqualified-search-registries doit être une liste de registres.</translation>
    </message>
    <message>
        <source>is not a string.</source>
        <translation>n&apos;est pas une chaîne.</translation>
    </message>
    <message>
        <source>unqualified-search-registries: an entry %1</source>
        <translation>unqualified-search-registries : une entrée %1</translation>
    </message>
    <message>
        <source>unqualified-search-registries: %1 is a repository, not a registry.</source>
        <translation>unqualified-search-registries : %1 est un dépôt, pas un registre.</translation>
    </message>
    <message>
        <source>aliases must be a table of short names.</source>
        <translation>aliases doit être une table de noms courts.</translation>
    </message>
    <message>
        <source>The alias %1 %2</source>
        <translation>L&apos;alias %1 %2</translation>
    </message>
    <message>
        <source>not valid TOML: %1</source>
        <translation>TOML non valide : %1</translation>
    </message>
    <message>
        <source>is &apos;%1&apos;: write the registry without a scheme (host[:port][/path]).</source>
        <translation>vaut « %1 » : écrivez le registre sans schéma (hôte[:port][/chemin]).</translation>
    </message>
    <message>
        <source>is &apos;%1&apos;: a wildcard is only allowed as a prefix&apos;s leading &apos;*.&apos;.</source>
        <translation>vaut « %1 » : un joker n&apos;est permis qu&apos;en tête d&apos;un prefix, sous la forme « *. ».</translation>
    </message>
    <message>
        <source>is &apos;%1&apos;, which is not a registry or repository (host[:port][/path]).</source>
        <translation>vaut « %1 », qui n&apos;est ni un registre ni un dépôt (hôte[:port][/chemin]).</translation>
    </message>
    <message>
        <source>is &apos;%1&apos;, whose first part is not a registry host (it needs a &apos;.&apos;, a port or localhost).</source>
        <translation>vaut « %1 », dont la première partie n&apos;est pas un hôte de registre (il faut un « . », un port ou localhost).</translation>
    </message>
    <message>
        <source>is &apos;%1&apos;, with a wildcard in the wrong place: only &apos;*.&apos; before a host name, with no port or path, is allowed.</source>
        <translation>vaut « %1 », avec un joker mal placé : seul « *. » devant un nom d&apos;hôte, sans port ni chemin, est permis.</translation>
    </message>
    <message>
        <source>The certificate of %1 is not signed by an authority this machine trusts (it is self-signed, or signed by a private CA).</source>
        <translation>Le certificat de %1 n&apos;est pas signé par une autorité à laquelle cette machine fait confiance (il est auto-signé, ou signé par une autorité de certification privée).</translation>
    </message>
    <message>
        <source>The CA files in %1 did not sign it either.</source>
        <translation>Les fichiers d&apos;autorité de %1 ne l&apos;ont pas signé non plus.</translation>
    </message>
    <message>
        <source>If you trust the registry, put its CA certificate in %1 (or %2 for every user of this machine); Berth never trusts a certificate silently.</source>
        <translation>Si vous faites confiance au registre, placez le certificat de son autorité dans %1 (ou %2 pour tous les utilisateurs de cette machine) ; Berth ne fait jamais confiance à un certificat sans le dire.</translation>
    </message>
    <message>
        <source>The certificate of %1 is not for the name %2: the registry is reached by a name its certificate does not carry.</source>
        <translation>Le certificat de %1 n&apos;est pas établi pour le nom %2 : le registre est joint par un nom que son certificat ne porte pas.</translation>
    </message>
    <message>
        <source>The certificate of %1 is for other names (%2), not %3: reach the registry by one of them, or ask its administrator for a certificate naming %3.</source>
        <translation>Le certificat de %1 est établi pour d&apos;autres noms (%2), pas pour %3 : joignez le registre par l&apos;un d&apos;eux, ou demandez à son administrateur un certificat au nom de %3.</translation>
    </message>
    <message>
        <source>%1 did not accept the client certificate %2: it is not signed by an authority the registry trusts, or is out of its dates.</source>
        <translation>%1 n&apos;a pas accepté le certificat client %2 : il n&apos;est pas signé par une autorité à laquelle le registre fait confiance, ou il est hors de sa période de validité.</translation>
    </message>
    <message>
        <source>%1 wants a client certificate, and Berth has none for it. Put the certificate and its key in %2 and %3 (PEM).</source>
        <translation>%1 demande un certificat client, et Berth n&apos;en a aucun pour lui. Placez le certificat et sa clé dans %2 et %3 (PEM).</translation>
    </message>
    <message>
        <source>The certificate of %1 has expired (or this machine&apos;s clock is wrong): its administrator must renew it.</source>
        <translation>Le certificat de %1 a expiré (ou l&apos;horloge de cette machine est fausse) : son administrateur doit le renouveler.</translation>
    </message>
    <message>
        <source>The certificate of %1 is not valid yet: this machine&apos;s clock is probably wrong.</source>
        <translation>Le certificat de %1 n&apos;est pas encore valide : l&apos;horloge de cette machine est probablement fausse.</translation>
    </message>
    <message>
        <source>The certificate of %1 was revoked by its authority.</source>
        <translation>Le certificat de %1 a été révoqué par son autorité.</translation>
    </message>
    <message>
        <source>The TLS connection to %1 failed: %2.</source>
        <translation>La connexion TLS à %1 a échoué : %2.</translation>
    </message>
    <message>
        <source>Berth could not read %1: %2.</source>
        <translation>Berth n&apos;a pas pu lire %1 : %2.</translation>
    </message>
    <message>
        <source>%1 is larger than a certificate or key file can be.</source>
        <translation>%1 est plus grand que ne peut l&apos;être un fichier de certificat ou de clé.</translation>
    </message>
    <message>
        <source>The CA file %1 holds no certificate in PEM form.</source>
        <translation>Le fichier d&apos;autorité %1 ne contient aucun certificat au format PEM.</translation>
    </message>
    <message>
        <source>The client certificate %1 has no key: Berth expects it in %2. (A CA certificate must end in .crt, not .cert.)</source>
        <translation>Le certificat client %1 n&apos;a pas de clé : Berth l&apos;attend dans %2. (Un certificat d&apos;autorité doit finir par .crt, pas .cert.)</translation>
    </message>
    <message>
        <source>The client key %1 has no certificate: Berth expects it in %2.</source>
        <translation>La clé client %1 n&apos;a pas de certificat : Berth l&apos;attend dans %2.</translation>
    </message>
    <message>
        <source>Berth could not read the folder %1.</source>
        <translation>Berth n&apos;a pas pu lire le dossier %1.</translation>
    </message>
    <message>
        <source>The registry %1 is blocked by %2 ([[registry]] prefix &quot;%3&quot;): Berth sends it no request for %4.</source>
        <translation>Le registre %1 est bloqué par %2 ([[registry]] prefix « %3 ») : Berth ne lui envoie aucune requête pour %4.</translation>
    </message>
    <message>
        <source>The engine&apos;s /info answer is not a JSON object: %1</source>
        <translation>La réponse /info du moteur n&apos;est pas un objet JSON : %1</translation>
    </message>
    <message>
        <source>Note: the engine reaches %1 directly (its own proxy settings), where Berth would go through the proxy %2.</source>
        <translation>Remarque : le moteur joint %1 directement (ses propres réglages de proxy), là où Berth passerait par le proxy %2.</translation>
    </message>
    <message>
        <source>Note: the engine reaches %1 through the proxy %2 (its own proxy settings), where Berth would go directly.</source>
        <translation>Remarque : le moteur joint %1 par le proxy %2 (ses propres réglages de proxy), là où Berth irait directement.</translation>
    </message>
    <message>
        <source>Note: the engine reaches %1 through the proxy %2 (its own proxy settings), where Berth would go through the proxy %3.</source>
        <translation>Remarque : le moteur joint %1 par le proxy %2 (ses propres réglages de proxy), là où Berth passerait par le proxy %3.</translation>
    </message>
    <message>
        <source>%1 %2 must be a string.</source>
        <translation>%1 %2 doit être une chaîne.</translation>
    </message>
    <message>
        <source>%1 %2 must be true or false.</source>
        <translation>%1 %2 doit valoir true ou false.</translation>
    </message>
    <message>
        <source>could not be read: %1</source>
        <translation>n&apos;a pas pu être lu : %1</translation>
    </message>
    <message>
        <source>is larger than %1 bytes; Berth does not read it.</source>
        <translation>dépasse %1 octets ; Berth ne le lit pas.</translation>
    </message>
    <message>
        <source>uses the version 1 format ([registries.search], [registries.insecure], [registries.block]), which Berth does not read. Write it in version 2 (unqualified-search-registries, [[registry]]).</source>
        <translation>utilise le format de la version 1 ([registries.search], [registries.insecure], [registries.block]), que Berth ne lit pas. Écrivez-le en version 2 (unqualified-search-registries, [[registry]]).</translation>
    </message>
    <message>
        <source>short-name-mode:</source>
        <translation>short-name-mode :</translation>
    </message>
    <message>
        <source>Find, inspect and share container images: Docker Hub, registries, local images.</source>
        <translation>Trouver, inspecter et partager des images de conteneurs : Docker Hub, registres, images locales.</translation>
    </message>
    <message>
        <source>Image archives to load (docker save, podman save, berthctl save), as a file manager&apos;s Open With passes them.</source>
        <translation>Archives d&apos;images à charger (docker save, podman save, berthctl save), telles que les passe « Ouvrir avec » d&apos;un gestionnaire de fichiers.</translation>
    </message>
</context>
<context>
    <name>Berth::AboutDialog</name>
    <message>
        <source>The window, networking, text</source>
        <translation>La fenêtre, le réseau, le texte</translation>
    </message>
    <message>
        <source>The icons, bundled unmodified</source>
        <translation>Les icônes, incluses sans modification</translation>
    </message>
    <message>
        <source>Passwords in the system keychain</source>
        <translation>Les mots de passe dans le trousseau du système</translation>
    </message>
    <message>
        <source>Image archives: tar, gzip, zstd</source>
        <translation>Archives d&apos;images : tar, gzip, zstd</translation>
    </message>
    <message>
        <source>Transfers of layers</source>
        <translation>Transferts des couches</translation>
    </message>
    <message>
        <source>Digests and encryption</source>
        <translation>Empreintes et chiffrement</translation>
    </message>
    <message>
        <source>Fast gzip decompression</source>
        <translation>Décompression gzip rapide</translation>
    </message>
    <message>
        <source>Reading registries.conf</source>
        <translation>Lecture de registries.conf</translation>
    </message>
    <message>
        <source>About Berth</source>
        <translation>À propos de Berth</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>Qt&apos;s version and licence</source>
        <translation>Version et licence de Qt</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>Find, inspect and share container images: Docker Hub and any OCI registry, Docker, Podman or Berth&apos;s own image store.</source>
        <translation>Trouver, inspecter et partager des images de conteneurs : Docker Hub et tout registre OCI, Docker, Podman ou le magasin d&apos;images de Berth.</translation>
    </message>
    <message>
        <source>Berth is free software under the MIT licence.</source>
        <translation>Berth est un logiciel libre sous licence MIT.</translation>
    </message>
    <message>
        <source>Berth is built with these free components, each under its own licence:</source>
        <translation>Berth est construit avec ces composants libres, chacun sous sa propre licence :</translation>
    </message>
    <message>
        <source>Components and their licences</source>
        <translation>Composants et leurs licences</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Composant</translation>
    </message>
    <message>
        <source>Used for</source>
        <translation>Sert à</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
    <message>
        <source>The icons&apos; licence (LICENSE.breeze-icons) is installed with Berth&apos;s documentation; each library&apos;s licence comes with the library.</source>
        <translation>La licence des icônes (LICENSE.breeze-icons) est installée avec la documentation de Berth ; la licence de chaque bibliothèque est fournie avec la bibliothèque.</translation>
    </message>
</context>
<context>
    <name>Berth::AccountsModel</name>
    <message>
        <source>This session only</source>
        <translation>Cette session uniquement</translation>
    </message>
    <message>
        <source>System keychain</source>
        <translation>Trousseau du système</translation>
    </message>
    <message>
        <source>%1, and the docker CLI</source>
        <translation>%1, et la CLI docker</translation>
    </message>
    <message>
        <source>Docker Hub</source>
        <translation>Docker Hub</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>Registry</source>
        <translation>Registre</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Kept in</source>
        <translation>Conservé dans</translation>
    </message>
</context>
<context>
    <name>Berth::Cli</name>
    <message>
        <source>Usage: berthctl COMMAND [OPTIONS]

Find, inspect and share container images.

Commands:
</source>
        <translation>Utilisation : berthctl COMMANDE [OPTIONS]

Trouver, inspecter et partager des images de conteneurs.

Commandes :
</translation>
    </message>
    <message>
        <source>
Run &apos;berthctl COMMAND --help&apos; for a command&apos;s options.
Exit codes: 0 success, 1 the operation failed, 2 usage error.
</source>
        <translation>
Lancez &apos;berthctl COMMANDE --help&apos; pour voir les options d&apos;une commande.
Codes de sortie : 0 succès, 1 échec de l&apos;opération, 2 erreur d&apos;utilisation.
</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos;</source>
        <translation>commande inconnue &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Output format: &apos;text&apos; (default) or &apos;json&apos;.</source>
        <translation>Format de sortie : &apos;text&apos; (par défaut) ou &apos;json&apos;.</translation>
    </message>
    <message>
        <source>Allow plain HTTP and unverified TLS for this registry (repeatable). localhost and 127.0.0.0/8 are always allowed.</source>
        <translation>Autoriser HTTP en clair et TLS non vérifié pour ce registre (option répétable). localhost et 127.0.0.0/8 sont toujours autorisés.</translation>
    </message>
    <message>
        <source>Docker Hub web API base URL (default: $BERTH_HUB_URL or https://hub.docker.com).</source>
        <translation>URL de base de l&apos;API web de Docker Hub (par défaut : $BERTH_HUB_URL ou https://hub.docker.com).</translation>
    </message>
    <message>
        <source>unknown format &apos;%1&apos;: use &apos;text&apos; or &apos;json&apos;</source>
        <translation>format inconnu &apos;%1&apos; : utilisez &apos;text&apos; ou &apos;json&apos;</translation>
    </message>
    <message>
        <source>invalid --hub-url &apos;%1&apos;: expected an http(s) URL</source>
        <translation>--hub-url &apos;%1&apos; non valide : une URL http(s) est attendue</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Erreur : %1</translation>
    </message>
    <message>
        <source>berthctl: %1</source>
        <translation>berthctl : %1</translation>
    </message>
    <message>
        <source>Run &apos;berthctl --help&apos; for usage.</source>
        <translation>Lancez &apos;berthctl --help&apos; pour voir l&apos;utilisation.</translation>
    </message>
    <message>
        <source>Platform:        %1</source>
        <translation>Plateforme :     %1</translation>
    </message>
    <message>
        <source>Manifest:        %1 (%2)</source>
        <translation>Manifeste :      %1 (%2)</translation>
    </message>
    <message>
        <source>Config:          %1</source>
        <translation>Configuration :  %1</translation>
    </message>
    <message>
        <source>Created:         %1</source>
        <translation>Création :       %1</translation>
    </message>
    <message>
        <source>Size:            %1</source>
        <translation>Taille :         %1</translation>
    </message>
    <message>
        <source>Entrypoint:      %1</source>
        <translation>Entrypoint :     %1</translation>
    </message>
    <message>
        <source>Cmd:             %1</source>
        <translation>Cmd :            %1</translation>
    </message>
    <message>
        <source>WorkingDir:      %1</source>
        <translation>WorkingDir :     %1</translation>
    </message>
    <message>
        <source>User:            %1</source>
        <translation>User :           %1</translation>
    </message>
    <message>
        <source>Env:             %1</source>
        <translation>Env :            %1</translation>
    </message>
    <message>
        <source>Label:           %1=%2</source>
        <translation>Label :          %1=%2</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>Couches :</translation>
    </message>
    <message>
        <source>History:</source>
        <translation>Historique :</translation>
    </message>
    <message>
        <source>Show an image in a registry: media type, digest, platforms, layers, configuration and build history.</source>
        <translation>Afficher une image d&apos;un registre : type de média, empreinte, plateformes, couches, configuration et historique de construction.</translation>
    </message>
    <message>
        <source>e.g. node:15, localhost:5000/app@sha256:…</source>
        <translation>par ex. node:15, localhost:5000/app@sha256:…</translation>
    </message>
    <message>
        <source>Platform to show from a multi-platform image (os/arch[/variant]).</source>
        <translation>Plateforme à afficher d&apos;une image multiplateforme (os/arch[/variante]).</translation>
    </message>
    <message>
        <source>Show every platform of a multi-platform image.</source>
        <translation>Afficher toutes les plateformes d&apos;une image multiplateforme.</translation>
    </message>
    <message>
        <source>inspect takes exactly one image reference</source>
        <translation>inspect prend exactement une référence d&apos;image</translation>
    </message>
    <message>
        <source>Name:            %1</source>
        <translation>Nom :            %1</translation>
    </message>
    <message>
        <source>Digest:          %1</source>
        <translation>Empreinte :      %1</translation>
    </message>
    <message>
        <source>MediaType:       %1</source>
        <translation>Type de média :  %1</translation>
    </message>
    <message>
        <source>Manifests:</source>
        <translation>Manifestes :</translation>
    </message>
    <message>
        <source>(no platform)</source>
        <translation>(sans plateforme)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>REGISTRY</source>
        <translation>REGISTRE</translation>
    </message>
    <message>
        <source>USERNAME</source>
        <translation>UTILISATEUR</translation>
    </message>
    <message>
        <source>DOCKER CLI</source>
        <translation>CLI DOCKER</translation>
    </message>
    <message>
        <source>Log in to a registry (Docker Hub by default). The password is checked against the registry, then kept in the system keychain, never in a file.</source>
        <translation>Se connecter à un registre (Docker Hub par défaut). Le mot de passe est vérifié auprès du registre, puis conservé dans le trousseau du système, jamais dans un fichier.</translation>
    </message>
    <message>
        <source>Registry, e.g. docker.io, ghcr.io, localhost:5000.</source>
        <translation>Registre, par ex. docker.io, ghcr.io, localhost:5000.</translation>
    </message>
    <message>
        <source>User name.</source>
        <translation>Nom d&apos;utilisateur.</translation>
    </message>
    <message>
        <source>Read the password or access token from standard input.</source>
        <translation>Lire le mot de passe ou le jeton d&apos;accès sur l&apos;entrée standard.</translation>
    </message>
    <message>
        <source>Refused: a password on the command line is visible to every user. Use --password-stdin.</source>
        <translation>Refusé : un mot de passe passé en ligne de commande est visible par tous les utilisateurs. Utilisez --password-stdin.</translation>
    </message>
    <message>
        <source>Also log the docker CLI in, through its credential helper.</source>
        <translation>Connecter aussi la CLI docker, par l&apos;intermédiaire de son assistant d&apos;identification.</translation>
    </message>
    <message>
        <source>With --docker-cli and no credential helper configured: write the login to ~/.docker/config.json as base64, which anyone reading the file can decode.</source>
        <translation>Avec --docker-cli et sans assistant d&apos;identification configuré : écrire les identifiants dans ~/.docker/config.json en base64, que toute personne lisant le fichier peut décoder.</translation>
    </message>
    <message>
        <source>List the registries Berth has logins for (no secrets).</source>
        <translation>Lister les registres pour lesquels Berth a des identifiants (sans les secrets).</translation>
    </message>
    <message>
        <source>--password is refused: a password in the command line is visible to other users and lands in shell history. Use --password-stdin.</source>
        <translation>--password est refusé : un mot de passe en ligne de commande est visible par les autres utilisateurs et finit dans l&apos;historique du shell. Utilisez --password-stdin.</translation>
    </message>
    <message>
        <source>login takes at most one server</source>
        <translation>login prend au plus un serveur</translation>
    </message>
    <message>
        <source>invalid server &apos;%1&apos;</source>
        <translation>serveur &apos;%1&apos; non valide</translation>
    </message>
    <message>
        <source>--password-stdin needs --username</source>
        <translation>--password-stdin nécessite --username</translation>
    </message>
    <message>
        <source>Username: </source>
        <translation>Nom d&apos;utilisateur : </translation>
    </message>
    <message>
        <source>Password: </source>
        <translation>Mot de passe : </translation>
    </message>
    <message>
        <source>no terminal to ask the password on: use --username and --password-stdin</source>
        <translation>aucun terminal pour demander le mot de passe : utilisez --username et --password-stdin</translation>
    </message>
    <message>
        <source>a user name and a password (or access token) are required</source>
        <translation>un nom d&apos;utilisateur et un mot de passe (ou un jeton d&apos;accès) sont requis</translation>
    </message>
    <message>
        <source>Login Succeeded</source>
        <translation>Connexion réussie</translation>
    </message>
    <message>
        <source>Log out of a registry: forget its login in the keychain, and with --docker-cli in docker&apos;s credential store and config.json too.</source>
        <translation>Se déconnecter d&apos;un registre : oublier ses identifiants dans le trousseau et, avec --docker-cli, aussi dans le magasin d&apos;identifiants de docker et dans config.json.</translation>
    </message>
    <message>
        <source>Registry (default docker.io).</source>
        <translation>Registre (docker.io par défaut).</translation>
    </message>
    <message>
        <source>Also log the docker CLI out.</source>
        <translation>Déconnecter aussi la CLI docker.</translation>
    </message>
    <message>
        <source>logout takes at most one server</source>
        <translation>logout prend au plus un serveur</translation>
    </message>
    <message>
        <source>Removing login credentials for %1</source>
        <translation>Suppression des identifiants de connexion pour %1</translation>
    </message>
    <message>
        <source>Search Docker Hub for images.</source>
        <translation>Rechercher des images sur Docker Hub.</translation>
    </message>
    <message>
        <source>What to search for.</source>
        <translation>Termes à rechercher.</translation>
    </message>
    <message>
        <source>Only Docker Official Images.</source>
        <translation>Uniquement les images officielles Docker (Docker Official Images).</translation>
    </message>
    <message>
        <source>Only Verified Publisher images.</source>
        <translation>Uniquement les images d&apos;éditeurs vérifiés (Verified Publisher).</translation>
    </message>
    <message>
        <source>Only Sponsored Open Source images.</source>
        <translation>Uniquement les images open source sponsorisées (Sponsored OSS).</translation>
    </message>
    <message>
        <source>Sort by &apos;best&apos; (default), &apos;pulls&apos; or &apos;updated&apos;.</source>
        <translation>Trier par &apos;best&apos; (pertinence, par défaut), &apos;pulls&apos; (téléchargements) ou &apos;updated&apos; (mise à jour).</translation>
    </message>
    <message>
        <source>At most N results (default 25, at most 100).</source>
        <translation>Au plus N résultats (25 par défaut, 100 au maximum).</translation>
    </message>
    <message>
        <source>search takes exactly one search term</source>
        <translation>search prend exactement un terme de recherche</translation>
    </message>
    <message>
        <source>unknown --sort &apos;%1&apos;: use best, pulls or updated</source>
        <translation>--sort &apos;%1&apos; inconnu : utilisez best, pulls ou updated</translation>
    </message>
    <message>
        <source>--limit must be a number from 1 to 100</source>
        <translation>--limit doit être un nombre de 1 à 100</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NOM</translation>
    </message>
    <message>
        <source>DESCRIPTION</source>
        <translation>DESCRIPTION</translation>
    </message>
    <message>
        <source>STARS</source>
        <translation>ÉTOILES</translation>
    </message>
    <message>
        <source>PULLS</source>
        <translation>TÉLÉCHARGEMENTS</translation>
    </message>
    <message>
        <source>BADGE</source>
        <translation>BADGE</translation>
    </message>
    <message>
        <source>List a repository&apos;s tags, grouped by the image (digest) they share.</source>
        <translation>Lister les tags d&apos;un dépôt, regroupés par image (empreinte) commune.</translation>
    </message>
    <message>
        <source>e.g. node, jean/mon-app, localhost:5000/team/app</source>
        <translation>par ex. node, jean/mon-app, localhost:5000/team/app</translation>
    </message>
    <message>
        <source>On Docker Hub, read tags through the registry API instead of the Hub&apos;s.</source>
        <translation>Sur Docker Hub, lire les tags via l&apos;API du registre plutôt que celle du Hub.</translation>
    </message>
    <message>
        <source>tags takes exactly one repository</source>
        <translation>tags prend exactement un dépôt</translation>
    </message>
    <message>
        <source>DIGEST</source>
        <translation>EMPREINTE</translation>
    </message>
    <message>
        <source>TAGS</source>
        <translation>TAGS</translation>
    </message>
    <message>
        <source>PLATFORMS</source>
        <translation>PLATEFORMES</translation>
    </message>
    <message>
        <source>SIZE</source>
        <translation>TAILLE</translation>
    </message>
    <message>
        <source>PUSHED</source>
        <translation>PUBLIÉE</translation>
    </message>
    <message>
        <source>Where images live: auto (an engine if one answers, else the embedded store), docker, podman or embedded. Default: $BERTH_BACKEND, else auto.</source>
        <translation>Où sont stockées les images : auto (un moteur s&apos;il y en a un qui répond, sinon le magasin intégré), docker, podman ou embedded. Par défaut : $BERTH_BACKEND, sinon auto.</translation>
    </message>
    <message>
        <source>List local images; tags sharing an image ID are one image.</source>
        <translation>Lister les images locales ; les tags qui partagent un ID d&apos;image forment une seule image.</translation>
    </message>
    <message>
        <source>images takes no arguments</source>
        <translation>images ne prend aucun argument</translation>
    </message>
    <message>
        <source>REPOSITORY</source>
        <translation>DÉPÔT</translation>
    </message>
    <message>
        <source>TAG</source>
        <translation>TAG</translation>
    </message>
    <message>
        <source>IMAGE ID</source>
        <translation>ID D&apos;IMAGE</translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation>CRÉÉE</translation>
    </message>
    <message>
        <source>Pull an image from a registry. Layers already present are not downloaded again.</source>
        <translation>Télécharger une image depuis un registre. Les couches déjà présentes ne sont pas téléchargées à nouveau.</translation>
    </message>
    <message>
        <source>e.g. node:15, localhost:5000/team/app:1.0</source>
        <translation>par ex. node:15, localhost:5000/team/app:1.0</translation>
    </message>
    <message>
        <source>Platform to pull from a multi-platform image (os/arch[/variant]).</source>
        <translation>Plateforme à télécharger d&apos;une image multiplateforme (os/arch[/variante]).</translation>
    </message>
    <message>
        <source>Pull every platform of a multi-platform image.</source>
        <translation>Télécharger toutes les plateformes d&apos;une image multiplateforme.</translation>
    </message>
    <message>
        <source>pull takes exactly one image</source>
        <translation>pull prend exactement une image</translation>
    </message>
    <message>
        <source>Digest: %1</source>
        <translation>Empreinte : %1</translation>
    </message>
    <message>
        <source>Status: Image is up to date for %1</source>
        <translation>Statut : image à jour pour %1</translation>
    </message>
    <message>
        <source>Status: Downloaded newer image for %1</source>
        <translation>Statut : nouvelle image téléchargée pour %1</translation>
    </message>
    <message>
        <source>Push a local image to its registry. Tag it first to choose the destination (berthctl tag mon-app jean/mon-app:1.0.0).</source>
        <translation>Publier une image locale sur son registre. Taguez-la d&apos;abord pour choisir la destination (berthctl tag mon-app jean/mon-app:1.0.0).</translation>
    </message>
    <message>
        <source>e.g. jean/mon-app:1.0.0</source>
        <translation>par ex. jean/mon-app:1.0.0</translation>
    </message>
    <message>
        <source>push takes exactly one image</source>
        <translation>push prend exactement une image</translation>
    </message>
    <message>
        <source>%1: digest: %2</source>
        <translation>%1 : empreinte : %2</translation>
    </message>
    <message>
        <source>Give a local image another name (repository:tag).</source>
        <translation>Donner un autre nom à une image locale (dépôt:tag).</translation>
    </message>
    <message>
        <source>Image name or ID.</source>
        <translation>Nom ou ID de l&apos;image.</translation>
    </message>
    <message>
        <source>New name, e.g. jean/mon-app:1.0.0</source>
        <translation>Nouveau nom, par ex. jean/mon-app:1.0.0</translation>
    </message>
    <message>
        <source>tag takes a source image and a target name</source>
        <translation>tag prend une image source et un nom cible</translation>
    </message>
    <message>
        <source>Remove local images: untag them, and delete an image when its last tag goes.</source>
        <translation>Supprimer des images locales : retirer leurs tags, et supprimer une image quand son dernier tag disparaît.</translation>
    </message>
    <message>
        <source>Image names or IDs.</source>
        <translation>Noms ou ID des images.</translation>
    </message>
    <message>
        <source>Remove an image ID even when several tags share it.</source>
        <translation>Supprimer un ID d&apos;image même si plusieurs tags le partagent.</translation>
    </message>
    <message>
        <source>rmi takes at least one image</source>
        <translation>rmi prend au moins une image</translation>
    </message>
    <message>
        <source>Untagged: %1</source>
        <translation>Tag retiré : %1</translation>
    </message>
    <message>
        <source>Deleted: %1</source>
        <translation>Supprimée : %1</translation>
    </message>
    <message>
        <source>Remove unused images: untagged ones, or with --all every image (docker system prune -a).</source>
        <translation>Supprimer les images inutilisées : celles sans tag, ou avec --all toutes les images (docker system prune -a).</translation>
    </message>
    <message>
        <source>Remove every image, not only untagged ones.</source>
        <translation>Supprimer toutes les images, pas seulement celles sans tag.</translation>
    </message>
    <message>
        <source>Do not ask for confirmation.</source>
        <translation>Ne pas demander de confirmation.</translation>
    </message>
    <message>
        <source>prune takes no arguments</source>
        <translation>prune ne prend aucun argument</translation>
    </message>
    <message>
        <source>prune asks for confirmation: use --force when there is no terminal</source>
        <translation>prune demande une confirmation : utilisez --force en l&apos;absence de terminal</translation>
    </message>
    <message>
        <source>This will remove all images. Are you sure you want to continue? [y/N] </source>
        <translation>Cela va supprimer toutes les images. Voulez-vous vraiment continuer ? [y/N] </translation>
    </message>
    <message>
        <source>This will remove all dangling images. Are you sure you want to continue? [y/N] </source>
        <translation>Cela va supprimer toutes les images sans tag (dangling). Voulez-vous vraiment continuer ? [y/N] </translation>
    </message>
    <message>
        <source>Deleted Images:</source>
        <translation>Images supprimées :</translation>
    </message>
    <message>
        <source>Total reclaimed space: %1</source>
        <translation>Espace total récupéré : %1</translation>
    </message>
    <message>
        <source>Verify the embedded image store: every blob against its digest, every tag&apos;s manifest, config and layers present.</source>
        <translation>Vérifier le magasin d&apos;images intégré : chaque blob par rapport à son empreinte, et pour chaque tag la présence du manifeste, de la configuration et des couches.</translation>
    </message>
    <message>
        <source>Also remove every leftover temporary file.</source>
        <translation>Supprimer aussi tous les fichiers temporaires restants.</translation>
    </message>
    <message>
        <source>fsck takes no arguments</source>
        <translation>fsck ne prend aucun argument</translation>
    </message>
    <message>
        <source>fsck checks Berth&apos;s embedded store; the %1 engine checks its own storage</source>
        <translation>fsck vérifie le magasin intégré de Berth ; le moteur %1 vérifie son propre stockage</translation>
    </message>
    <message>
        <source>%1 blobs and %2 images checked: %3</source>
        <translation>%1 blobs et %2 images vérifiés : %3</translation>
    </message>
    <message>
        <source>the store is consistent</source>
        <translation>le magasin est cohérent</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n problème</numerusform>
            <numerusform>%n problèmes</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Transferring</source>
        <translation>Transfert</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Already exists</source>
        <translation>Existe déjà</translation>
    </message>
    <message>
        <source>Mounted</source>
        <translation>Montée depuis un autre dépôt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>total</source>
        <translation>total</translation>
    </message>
    <message>
        <source>Refusing to write an archive to a terminal: use %1 FILE or redirect the output.</source>
        <translation>Écriture d&apos;une archive dans un terminal refusée : utilisez %1 FICHIER ou redirigez la sortie.</translation>
    </message>
    <message>
        <source>Write to a file instead of standard output.</source>
        <translation>Écrire dans un fichier au lieu de la sortie standard.</translation>
    </message>
    <message>
        <source>Save one or more images to a tar archive (Docker and OCI layouts in one), streamed to standard output by default. Compression follows --compress, else the file name (.tar.gz, .tgz, .tar.zst, .tar.xz).</source>
        <translation>Enregistrer une ou plusieurs images dans une archive tar (formats Docker et OCI à la fois), écrite sur la sortie standard par défaut. La compression suit --compress, sinon le nom du fichier (.tar.gz, .tgz, .tar.zst, .tar.xz).</translation>
    </message>
    <message>
        <source>Images, by name or ID.</source>
        <translation>Images, par nom ou ID.</translation>
    </message>
    <message>
        <source>IMAGE…</source>
        <translation>IMAGE…</translation>
    </message>
    <message>
        <source>Compression: none, gzip, zstd, xz or bzip2.</source>
        <translation>Compression : none, gzip, zstd, xz ou bzip2.</translation>
    </message>
    <message>
        <source>save takes at least one image</source>
        <translation>save prend au moins une image</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>Enregistrement</translation>
    </message>
    <message>
        <source>Load images from a tar archive (docker save, podman save, skopeo; plain, gzip, bzip2, xz or zstd), from standard input by default.</source>
        <translation>Charger des images depuis une archive tar (docker save, podman save, skopeo ; non compressée, gzip, bzip2, xz ou zstd), lue sur l&apos;entrée standard par défaut.</translation>
    </message>
    <message>
        <source>Read from a file instead of standard input.</source>
        <translation>Lire un fichier au lieu de l&apos;entrée standard.</translation>
    </message>
    <message>
        <source>Print no progress.</source>
        <translation>Ne pas afficher la progression.</translation>
    </message>
    <message>
        <source>load takes no arguments</source>
        <translation>load ne prend aucun argument</translation>
    </message>
    <message>
        <source>Nothing to load: give an archive with -i FILE or on standard input.</source>
        <translation>Rien à charger : donnez une archive avec -i FICHIER ou sur l&apos;entrée standard.</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>Chargement</translation>
    </message>
    <message>
        <source>Loaded image: %1</source>
        <translation>Image chargée : %1</translation>
    </message>
    <message>
        <source>Loaded image ID: %1</source>
        <translation>ID d&apos;image chargée : %1</translation>
    </message>
    <message>
        <source>The archive holds no image.</source>
        <translation>L&apos;archive ne contient aucune image.</translation>
    </message>
    <message>
        <source>Export a container&apos;s filesystem as a tar archive, or an image&apos;s flattened filesystem (what docker create + docker export would give), to standard output by default.</source>
        <translation>Exporter en archive tar le système de fichiers d&apos;un conteneur, ou celui d&apos;une image aplati (ce que donneraient docker create + docker export), sur la sortie standard par défaut.</translation>
    </message>
    <message>
        <source>A container, or an image.</source>
        <translation>Un conteneur, ou une image.</translation>
    </message>
    <message>
        <source>CONTAINER|IMAGE</source>
        <translation>CONTENEUR|IMAGE</translation>
    </message>
    <message>
        <source>Platform of a multi-platform image (os/arch[/variant]).</source>
        <translation>Plateforme d&apos;une image multiplateforme (os/arch[/variante]).</translation>
    </message>
    <message>
        <source>export takes exactly one container</source>
        <translation>export prend exactement un conteneur</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Import a filesystem tar (a file, an http(s) URL, or - for standard input; compressed or not) as a one-layer image.</source>
        <translation>Importer l&apos;archive tar d&apos;un système de fichiers (un fichier, une URL http(s), ou - pour l&apos;entrée standard ; compressée ou non) comme image à une seule couche.</translation>
    </message>
    <message>
        <source>FILE, URL or -</source>
        <translation>FICHIER, URL ou -</translation>
    </message>
    <message>
        <source>Name the image (untagged otherwise).</source>
        <translation>Nommer l&apos;image (sinon, elle n&apos;a pas de tag).</translation>
    </message>
    <message>
        <source>[REPOSITORY[:TAG]]</source>
        <translation>[DÉPÔT[:TAG]]</translation>
    </message>
    <message>
        <source>Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR, HEALTHCHECK (repeatable).</source>
        <translation>Appliquer une instruction de Dockerfile : CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR, HEALTHCHECK (option répétable).</translation>
    </message>
    <message>
        <source>A commit message for the image&apos;s history.</source>
        <translation>Un message de commit pour l&apos;historique de l&apos;image.</translation>
    </message>
    <message>
        <source>The image&apos;s platform (os/arch[/variant]); default: this machine&apos;s.</source>
        <translation>La plateforme de l&apos;image (os/arch[/variante]) ; par défaut : celle de cette machine.</translation>
    </message>
    <message>
        <source>import takes a file, URL or -, and optionally a name</source>
        <translation>import prend un fichier, une URL ou -, et éventuellement un nom</translation>
    </message>
    <message>
        <source>Nothing to import: pipe a tar archive to standard input.</source>
        <translation>Rien à importer : envoyez une archive tar sur l&apos;entrée standard.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid URL: %2</source>
        <translation>&apos;%1&apos; n&apos;est pas une URL valide : %2</translation>
    </message>
    <message>
        <source>Import names an image by tag, not by digest: &apos;%1&apos;.</source>
        <translation>import nomme une image par un tag, pas par une empreinte : &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Looked up the digests of %1 of %2 tags…</source>
        <translation>Empreintes recherchées pour %1 tags sur %2…</translation>
    </message>
    <message numerus="yes">
        <source>Berth looked up the digests of the first %1 tags only: the other %n tag(s) are listed together, under the digest &quot;unknown&quot;.</source>
        <translation>
            <numerusform>Berth n&apos;a recherché les empreintes que des %1 premiers tags : l&apos;autre tag (%n) est listé à part, sous l&apos;empreinte « unknown ».</numerusform>
            <numerusform>Berth n&apos;a recherché les empreintes que des %1 premiers tags : les %n autres tags sont listés ensemble, sous l&apos;empreinte « unknown ».</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Warning: %1 listed %n name(s) that are not valid tags; they are not shown.</source>
        <translation>
            <numerusform>Attention : %1 a listé %n nom qui n&apos;est pas un tag valide ; il n&apos;est pas affiché.</numerusform>
            <numerusform>Attention : %1 a listé %n noms qui ne sont pas des tags valides ; ils ne sont pas affichés.</numerusform>
        </translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>To make an image of it, run: berthctl import %1 [REPOSITORY[:TAG]]</source>
        <translation>Pour en faire une image, lancez : berthctl import %1 [DÉPÔT[:TAG]]</translation>
    </message>
    <message>
        <source>Show how a local image was built: its steps, newest first, with the size each added.</source>
        <translation>Afficher comment une image locale a été construite : ses étapes, de la plus récente à la plus ancienne, avec la taille ajoutée par chacune.</translation>
    </message>
    <message>
        <source>e.g. node:15, or an image ID</source>
        <translation>par ex. node:15, ou un ID d&apos;image</translation>
    </message>
    <message>
        <source>Show whole image IDs and whole build steps.</source>
        <translation>Afficher les ID d&apos;image et les étapes de construction en entier.</translation>
    </message>
    <message>
        <source>history takes exactly one image</source>
        <translation>history prend exactement une image</translation>
    </message>
    <message>
        <source>IMAGE</source>
        <translation>IMAGE</translation>
    </message>
    <message>
        <source>CREATED BY</source>
        <translation>CRÉÉE PAR</translation>
    </message>
    <message>
        <source>COMMENT</source>
        <translation>COMMENTAIRE</translation>
    </message>
    <message>
        <source>A registry reference (node:22, 127.0.0.1:5000/app@sha256:…), a local image with --backend, or archive:FILE[:IMAGE] for a saved archive.</source>
        <translation>Une référence de registre (node:22, 127.0.0.1:5000/app@sha256:…), une image locale avec --backend, ou archive:FICHIER[:IMAGE] pour une archive enregistrée.</translation>
    </message>
    <message>
        <source>--layer takes a layer number from 1</source>
        <translation>--layer prend un numéro de couche à partir de 1</translation>
    </message>
    <message numerus="yes">
        <source>--layer %1: the image has %n layer(s)</source>
        <translation>
            <numerusform>--layer %1 : l&apos;image a %n couche</numerusform>
            <numerusform>--layer %1 : l&apos;image a %n couches</numerusform>
        </translation>
    </message>
    <message>
        <source>the output was closed</source>
        <translation>la sortie a été fermée</translation>
    </message>
    <message>
        <source>Cannot write to standard output: %1</source>
        <translation>Impossible d&apos;écrire sur la sortie standard : %1</translation>
    </message>
    <message>
        <source>List the files of an image without pulling it: the directory PATH (default /), its whole subtree with --recursive, or what one layer added (A), changed (C) and deleted (D) with --layer N. Names that are not UTF-8 or hold control characters are shown with \xNN escapes, which PATH accepts back.</source>
        <translation>Lister les fichiers d&apos;une image sans la télécharger : le dossier CHEMIN (par défaut /), toute son arborescence avec --recursive, ou ce qu&apos;une couche a ajouté (A), modifié (C) et supprimé (D) avec --layer N. Les noms qui ne sont pas en UTF-8 ou qui contiennent des caractères de contrôle s&apos;affichent avec des échappements \xNN, que CHEMIN accepte en retour.</translation>
    </message>
    <message>
        <source>A path inside the image.</source>
        <translation>Un chemin à l&apos;intérieur de l&apos;image.</translation>
    </message>
    <message>
        <source>[PATH]</source>
        <translation>[CHEMIN]</translation>
    </message>
    <message>
        <source>List the whole subtree.</source>
        <translation>Lister toute l&apos;arborescence.</translation>
    </message>
    <message>
        <source>Show what layer N (1 = the bottom one) added, changed and deleted.</source>
        <translation>Afficher ce que la couche N (1 = celle du bas) a ajouté, modifié et supprimé.</translation>
    </message>
    <message>
        <source>ls takes an image and at most one path</source>
        <translation>ls prend une image et au plus un chemin</translation>
    </message>
    <message>
        <source>Write a file of an image to standard output, byte for byte, reading only the layer that holds it (and only up to the file). Symbolic links are followed inside the image.</source>
        <translation>Écrire un fichier d&apos;une image sur la sortie standard, octet par octet, en ne lisant que la couche qui le contient (et seulement jusqu&apos;au fichier). Les liens symboliques sont suivis à l&apos;intérieur de l&apos;image.</translation>
    </message>
    <message>
        <source>The file inside the image.</source>
        <translation>Le fichier à l&apos;intérieur de l&apos;image.</translation>
    </message>
    <message>
        <source>cat takes an image and a path</source>
        <translation>cat prend une image et un chemin</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <source>Reading the manifest</source>
        <translation>Lecture du manifeste</translation>
    </message>
    <message>
        <source>Indexing layers</source>
        <translation>Indexation des couches</translation>
    </message>
    <message>
        <source>Merging layers</source>
        <translation>Fusion des couches</translation>
    </message>
    <message>
        <source>IMAGE is a local image of this backend (auto, docker, podman or embedded) instead of a registry reference.</source>
        <translation>IMAGE est une image locale de ce moteur (auto, docker, podman ou embedded) au lieu d&apos;une référence de registre.</translation>
    </message>
    <message>
        <source>Platform to look at in a multi-platform image (os/arch[/variant]); default: this machine&apos;s.</source>
        <translation>Plateforme à regarder dans une image multiplateforme (os/arch[/variante]) ; par défaut : celle de cette machine.</translation>
    </message>
    <message>
        <source>image</source>
        <translation>image</translation>
    </message>
    <message>
        <source>Cannot copy a folder onto the file %1</source>
        <translation>Impossible de copier un dossier sur le fichier %1</translation>
    </message>
    <message>
        <source>The folder %1 does not exist</source>
        <translation>Le dossier %1 n&apos;existe pas</translation>
    </message>
    <message>
        <source>Copy a file or a folder out of an image without pulling it, as docker cp does out of a container: into DEST when it is a folder, as DEST otherwise; PATH/. copies a folder&apos;s contents. DEST &apos;-&apos; writes a tar to standard output; a folder copied to a name ending in .tar (.tar.gz, .tgz, .tar.zst, .tar.xz) is written as that tar. Nothing is ever written outside DEST; set-uid bits and owners are not kept.</source>
        <translation>Copier un fichier ou un dossier hors d&apos;une image sans la télécharger, comme docker cp le fait hors d&apos;un conteneur : dans DEST si c&apos;est un dossier, sous le nom DEST sinon ; CHEMIN/. copie le contenu d&apos;un dossier. DEST &apos;-&apos; écrit un tar sur la sortie standard ; un dossier copié vers un nom finissant par .tar (.tar.gz, .tgz, .tar.zst, .tar.xz) est écrit sous forme de ce tar. Rien n&apos;est jamais écrit hors de DEST ; les bits set-uid et les propriétaires ne sont pas conservés.</translation>
    </message>
    <message>
        <source>The image, a colon, and the absolute path inside it.</source>
        <translation>L&apos;image, deux-points, et le chemin absolu à l&apos;intérieur.</translation>
    </message>
    <message>
        <source>IMAGE:/PATH</source>
        <translation>IMAGE:/CHEMIN</translation>
    </message>
    <message>
        <source>A folder, a new name, or &apos;-&apos;.</source>
        <translation>Un dossier, un nouveau nom, ou &apos;-&apos;.</translation>
    </message>
    <message>
        <source>DEST</source>
        <translation>DEST</translation>
    </message>
    <message>
        <source>cp takes IMAGE:/PATH and a destination</source>
        <translation>cp prend IMAGE:/CHEMIN et une destination</translation>
    </message>
    <message>
        <source>Refusing to write a tar to a terminal: give a destination or redirect the output.</source>
        <translation>Écriture d&apos;un tar dans un terminal refusée : donnez une destination ou redirigez la sortie.</translation>
    </message>
    <message>
        <source>Copying</source>
        <translation>Copie</translation>
    </message>
    <message numerus="yes">
        <source>Skipped %n device(s), fifo(s) or socket(s): a copy runs without the privileges to make them.</source>
        <translation>
            <numerusform>%n périphérique, fifo ou socket ignoré : une copie s&apos;exécute sans les privilèges pour les créer.</numerusform>
            <numerusform>%n périphériques, fifos ou sockets ignorés : une copie s&apos;exécute sans les privilèges pour les créer.</numerusform>
        </translation>
    </message>
    <message>
        <source>Configuration:</source>
        <translation>Configuration :</translation>
    </message>
    <message>
        <source>  (the same)</source>
        <translation>  (identique)</translation>
    </message>
    <message>
        <source>FIELD</source>
        <translation>CHAMP</translation>
    </message>
    <message>
        <source>KEY</source>
        <translation>CLÉ</translation>
    </message>
    <message>
        <source>FIRST</source>
        <translation>PREMIÈRE</translation>
    </message>
    <message>
        <source>SECOND</source>
        <translation>SECONDE</translation>
    </message>
    <message>
        <source>%1 added (%2), %3 changed, %4 deleted (%5)</source>
        <translation>%1 ajoutés (%2), %3 modifiés, %4 supprimés (%5)</translation>
    </message>
    <message>
        <source>KIND</source>
        <translation>TYPE</translation>
    </message>
    <message>
        <source>OLD SIZE</source>
        <translation>ANCIENNE TAILLE</translation>
    </message>
    <message>
        <source>NEW SIZE</source>
        <translation>NOUVELLE TAILLE</translation>
    </message>
    <message>
        <source>PATH</source>
        <translation>CHEMIN</translation>
    </message>
    <message>
        <source>Compare two images file by file without pulling them: every path added (A), changed (C: type, size, mode, owner, link or content) or deleted (D), with the old and new sizes, then the configuration settings that differ.</source>
        <translation>Comparer deux images fichier par fichier sans les télécharger : chaque chemin ajouté (A), modifié (C : type, taille, mode, propriétaire, lien ou contenu) ou supprimé (D), avec l&apos;ancienne et la nouvelle taille, puis les réglages de configuration qui diffèrent.</translation>
    </message>
    <message>
        <source>A registry reference, a local image with --backend, or archive:FILE[:IMAGE].</source>
        <translation>Une référence de registre, une image locale avec --backend, ou archive:FICHIER[:IMAGE].</translation>
    </message>
    <message>
        <source>The image to compare it with.</source>
        <translation>L&apos;image avec laquelle la comparer.</translation>
    </message>
    <message>
        <source>diff takes two images</source>
        <translation>diff prend deux images</translation>
    </message>
    <message>
        <source>CHANGE</source>
        <translation>CHANGEMENT</translation>
    </message>
    <message>
        <source>MODE</source>
        <translation>MODE</translation>
    </message>
    <message>
        <source>OWNER</source>
        <translation>PROPRIÉTAIRE</translation>
    </message>
    <message>
        <source>LAYER</source>
        <translation>COUCHE</translation>
    </message>
    <message>
        <source>&apos;%1&apos; names no archive file: write archive:FILE[:IMAGE]</source>
        <translation>&apos;%1&apos; ne nomme aucun fichier d&apos;archive : écrivez archive:FICHIER[:IMAGE]</translation>
    </message>
    <message>
        <source>&apos;%1&apos; ends with &apos;:&apos;: name the image of the archive after it, or leave the &apos;:&apos; out</source>
        <translation>&apos;%1&apos; se termine par &apos;:&apos; : nommez l&apos;image de l&apos;archive après, ou retirez le &apos;:&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: a backslash starts \xNN (a byte) or \\ (a backslash)</source>
        <translation>&apos;%1&apos; : une barre oblique inverse commence \xNN (un octet) ou \\ (une barre oblique inverse)</translation>
    </message>
    <message>
        <source>the image name is empty</source>
        <translation>le nom de l&apos;image est vide</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not IMAGE:/PATH (the path inside the image starts with &apos;/&apos;)</source>
        <translation>&apos;%1&apos; n&apos;est pas IMAGE:/CHEMIN (le chemin dans l&apos;image commence par &apos;/&apos;)</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: a path holds no NUL byte</source>
        <translation>&apos;%1&apos; : un chemin ne contient aucun octet NUL</translation>
    </message>
    <message>
        <source>COMPRESSED</source>
        <translation>COMPRESSÉE</translation>
    </message>
    <message>
        <source>UNCOMPRESSED</source>
        <translation>DÉCOMPRESSÉE</translation>
    </message>
    <message>
        <source>FILES</source>
        <translation>FICHIERS</translation>
    </message>
    <message>
        <source>ENTRIES</source>
        <translation>ENTRÉES</translation>
    </message>
    <message>
        <source>ADDED</source>
        <translation>AJOUTÉS</translation>
    </message>
    <message>
        <source>CHANGED</source>
        <translation>MODIFIÉS</translation>
    </message>
    <message>
        <source>DELETED</source>
        <translation>SUPPRIMÉS</translation>
    </message>
    <message>
        <source>WASTED</source>
        <translation>GASPILLÉ</translation>
    </message>
    <message numerus="yes">
        <source>%n path(s) visible, %1 of files; the layers carry %2, of which %3 is wasted (overwritten or deleted by a later layer).</source>
        <translation>
            <numerusform>%n chemin visible, %1 de fichiers ; les couches transportent %2, dont %3 gaspillés (écrasés ou supprimés par une couche ultérieure).</numerusform>
            <numerusform>%n chemins visibles, %1 de fichiers ; les couches transportent %2, dont %3 gaspillés (écrasés ou supprimés par une couche ultérieure).</numerusform>
        </translation>
    </message>
    <message>
        <source>Efficiency: %1</source>
        <translation>Efficacité : %1</translation>
    </message>
    <message>
        <source>Largest files:</source>
        <translation>Plus gros fichiers :</translation>
    </message>
    <message>
        <source>Show where an image&apos;s bytes go, without pulling it: per layer its compressed size, the bytes of its files, what it added, changed and deleted and the bytes later layers overwrite or delete (wasted); the image&apos;s efficiency and its largest files.</source>
        <translation>Montrer où vont les octets d&apos;une image, sans la télécharger : pour chaque couche sa taille compressée, les octets de ses fichiers, ce qu&apos;elle a ajouté, modifié et supprimé, et les octets que les couches suivantes écrasent ou suppriment (gaspillés) ; l&apos;efficacité de l&apos;image et ses plus gros fichiers.</translation>
    </message>
    <message>
        <source>How many of the largest files to show (default 10).</source>
        <translation>Combien des plus gros fichiers afficher (10 par défaut).</translation>
    </message>
    <message>
        <source>du takes exactly one image</source>
        <translation>du prend exactement une image</translation>
    </message>
    <message>
        <source>--top takes a number of files from 0</source>
        <translation>--top prend un nombre de fichiers à partir de 0</translation>
    </message>
    <message numerus="yes">
        <source>%n blob(s) copied (%1)</source>
        <translation>
            <numerusform>%n blob copié (%1)</numerusform>
            <numerusform>%n blobs copiés (%1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mounted</source>
        <translation>
            <numerusform>%n monté</numerusform>
            <numerusform>%n montés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already there</source>
        <translation>
            <numerusform>%n déjà présent</numerusform>
            <numerusform>%n déjà présents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n manifest(s) written</source>
        <translation>
            <numerusform>%n manifeste écrit</numerusform>
            <numerusform>%n manifestes écrits</numerusform>
        </translation>
    </message>
    <message>
        <source>--all-platforms and --platform exclude each other</source>
        <translation>--all-platforms et --platform s&apos;excluent mutuellement</translation>
    </message>
    <message>
        <source>Copy an image from one registry or repository to another, blob by blob, without storing it locally. Digests stay the same; blobs the destination has are skipped, blobs on the same registry are mounted.</source>
        <translation>Copier une image d&apos;un registre ou d&apos;un dépôt à un autre, blob par blob, sans la stocker localement. Les empreintes restent les mêmes ; les blobs que la destination possède sont ignorés, ceux du même registre sont montés.</translation>
    </message>
    <message>
        <source>e.g. docker.io/library/alpine:3.20</source>
        <translation>p. ex. docker.io/library/alpine:3.20</translation>
    </message>
    <message>
        <source>e.g. localhost:5000/mirror/alpine:3.20</source>
        <translation>p. ex. localhost:5000/mirror/alpine:3.20</translation>
    </message>
    <message>
        <source>Copy every platform of a multi-platform image, and its index.</source>
        <translation>Copier toutes les plateformes d&apos;une image multi-plateforme, et son index.</translation>
    </message>
    <message>
        <source>Platform to copy from a multi-platform image (os/arch[/variant]; default: this machine&apos;s).</source>
        <translation>Plateforme à copier d&apos;une image multi-plateforme (os/arch[/variante] ; par défaut : celle de cette machine).</translation>
    </message>
    <message>
        <source>copy takes a source and a destination image</source>
        <translation>copy prend une image source et une image de destination</translation>
    </message>
    <message>
        <source>the registry deleted the tag</source>
        <translation>le registre a supprimé le tag</translation>
    </message>
    <message>
        <source>the tag was moved to the throw-away manifest %1, which was then deleted</source>
        <translation>le tag a été déplacé vers le manifeste jetable %1, qui a ensuite été supprimé</translation>
    </message>
    <message>
        <source>through Docker Hub&apos;s tag API</source>
        <translation>par l&apos;API des tags de Docker Hub</translation>
    </message>
    <message>
        <source>%1 takes exactly one image reference</source>
        <translation>%1 prend exactement une référence d&apos;image</translation>
    </message>
    <message numerus="yes">
        <source>Deleting %1@%2 removes %n tag(s) with it:</source>
        <translation>
            <numerusform>Supprimer %1@%2 retire aussi %n tag :</numerusform>
            <numerusform>Supprimer %1@%2 retire aussi %n tags :</numerusform>
        </translation>
    </message>
    <message>
        <source>Some tags&apos; digests could not be looked up; they may point at this image too and would go with it.</source>
        <translation>Les empreintes de certains tags n&apos;ont pas pu être vérifiées ; ils pointent peut-être aussi vers cette image et partiraient avec elle.</translation>
    </message>
    <message>
        <source>The space comes back only after the registry&apos;s garbage collection.</source>
        <translation>L&apos;espace n&apos;est libéré qu&apos;après le nettoyage (garbage collection) du registre.</translation>
    </message>
    <message>
        <source>delete asks for confirmation: pass --yes when there is no terminal; nothing was deleted</source>
        <translation>delete demande une confirmation : passez --yes en l&apos;absence de terminal ; rien n&apos;a été supprimé</translation>
    </message>
    <message>
        <source>Delete this image and its tags? [y/N] </source>
        <translation>Supprimer cette image et ses tags ? [y/N] </translation>
    </message>
    <message>
        <source>Nothing was deleted.</source>
        <translation>Rien n&apos;a été supprimé.</translation>
    </message>
    <message>
        <source>Deleted %1@%2</source>
        <translation>Supprimé : %1@%2</translation>
    </message>
    <message>
        <source>Remove one tag from a registry; the image and its other tags stay.</source>
        <translation>Retirer un tag d&apos;un registre ; l&apos;image et ses autres tags restent.</translation>
    </message>
    <message>
        <source>e.g. localhost:5000/app:old, jean/mon-app:test</source>
        <translation>p. ex. localhost:5000/app:old, jean/mon-app:test</translation>
    </message>
    <message>
        <source>untag</source>
        <translation>untag</translation>
    </message>
    <message>
        <source>Untagged %1 (%2)</source>
        <translation>Tag retiré : %1 (%2)</translation>
    </message>
    <message>
        <source>Still on the same image: %1</source>
        <translation>Toujours sur la même image : %1</translation>
    </message>
    <message>
        <source>Delete an image (a manifest) from a registry, with every tag that points at it.</source>
        <translation>Supprimer une image (un manifeste) d&apos;un registre, avec chaque tag qui pointe vers elle.</translation>
    </message>
    <message>
        <source>a tag or a digest: localhost:5000/app:1.0, app@sha256:…</source>
        <translation>un tag ou une empreinte : localhost:5000/app:1.0, app@sha256:…</translation>
    </message>
    <message>
        <source>delete</source>
        <translation>delete</translation>
    </message>
    <message>
        <source>Manifest list %1 (%2):</source>
        <translation>Liste de manifestes %1 (%2) :</translation>
    </message>
    <message>
        <source>PLATFORM</source>
        <translation>PLATEFORME</translation>
    </message>
    <message>
        <source>FROM</source>
        <translation>SOURCE</translation>
    </message>
    <message>
        <source>manifest %1 takes exactly one target</source>
        <translation>manifest %1 prend exactement une cible</translation>
    </message>
    <message>
        <source>A manifest list for %1 exists already: add --amend to add to it, or remove it with &apos;berthctl manifest rm %1&apos;.</source>
        <translation>Une liste de manifestes existe déjà pour %1 : ajoutez --amend pour la compléter, ou supprimez-la avec &apos;berthctl manifest rm %1&apos;.</translation>
    </message>
    <message>
        <source>Put images already in registries together as one multi-platform image, kept locally until &apos;berthctl manifest push&apos;. An index among the sources adds each of its platform images.</source>
        <translation>Réunir des images déjà dans des registres en une image multi-plateforme, gardée localement jusqu&apos;à &apos;berthctl manifest push&apos;. Un index parmi les sources ajoute chacune de ses images de plateforme.</translation>
    </message>
    <message>
        <source>e.g. localhost:5000/app:1.0</source>
        <translation>p. ex. localhost:5000/app:1.0</translation>
    </message>
    <message>
        <source>an image for one platform, or an index</source>
        <translation>une image pour une plateforme, ou un index</translation>
    </message>
    <message>
        <source>Add to the list of this target if it exists.</source>
        <translation>Compléter la liste de cette cible si elle existe.</translation>
    </message>
    <message>
        <source>manifest create takes a target and at least one source</source>
        <translation>manifest create prend une cible et au moins une source</translation>
    </message>
    <message>
        <source>Show the manifest list being built for a target, as it would be pushed; without one, the manifest or index the registry serves.</source>
        <translation>Afficher la liste de manifestes en préparation pour une cible, telle qu&apos;elle serait publiée ; sans liste, le manifeste ou l&apos;index que sert le registre.</translation>
    </message>
    <message>
        <source>manifest inspect takes exactly one image reference</source>
        <translation>manifest inspect prend exactement une référence d&apos;image</translation>
    </message>
    <message>
        <source>Push a manifest list: images from other repositories are copied into the target&apos;s first, then the index is written under the target&apos;s tag. Prints its digest.</source>
        <translation>Publier une liste de manifestes : les images d&apos;autres dépôts sont d&apos;abord copiées dans celui de la cible, puis l&apos;index est écrit sous le tag de la cible. Affiche son empreinte.</translation>
    </message>
    <message>
        <source>Remove the local list once it is pushed.</source>
        <translation>Supprimer la liste locale une fois publiée.</translation>
    </message>
    <message>
        <source>There is no manifest list for %1: create one with &apos;berthctl manifest create&apos;.</source>
        <translation>Il n&apos;y a pas de liste de manifestes pour %1 : créez-en une avec &apos;berthctl manifest create&apos;.</translation>
    </message>
    <message>
        <source>Remove manifest lists kept locally (nothing is removed from any registry).</source>
        <translation>Supprimer des listes de manifestes gardées localement (rien n&apos;est supprimé d&apos;aucun registre).</translation>
    </message>
    <message>
        <source>one or more targets</source>
        <translation>une ou plusieurs cibles</translation>
    </message>
    <message>
        <source>manifest rm takes at least one target</source>
        <translation>manifest rm prend au moins une cible</translation>
    </message>
    <message>
        <source>There is no manifest list for %1.</source>
        <translation>Il n&apos;y a pas de liste de manifestes pour %1.</translation>
    </message>
    <message>
        <source>Usage: berthctl manifest COMMAND [OPTIONS]

Put images for several platforms together as one multi-platform image.

Commands:
  create   Create a manifest list locally from images in registries
  inspect  Show a manifest list, local or in a registry
  push     Push a manifest list to its registry
  rm       Remove manifest lists kept locally
</source>
        <translation>Utilisation : berthctl manifest COMMANDE [OPTIONS]

Réunir des images pour plusieurs plateformes en une image multi-plateforme.

Commandes :
  create   Créer localement une liste de manifestes à partir d&apos;images de registres
  inspect  Afficher une liste de manifestes, locale ou dans un registre
  push     Publier une liste de manifestes vers son registre
  rm       Supprimer des listes de manifestes gardées localement
</translation>
    </message>
    <message>
        <source>unknown manifest command &apos;%1&apos;</source>
        <translation>commande manifest inconnue &apos;%1&apos;</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>REFERENCE</source>
        <translation>RÉFÉRENCE</translation>
    </message>
    <message>
        <source>LOCAL DIGEST</source>
        <translation>EMPREINTE LOCALE</translation>
    </message>
    <message>
        <source>REMOTE DIGEST</source>
        <translation>EMPREINTE DISTANTE</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>ÉTAT</translation>
    </message>
    <message>
        <source>Compare each tagged local image with its tag in the registry (a HEAD request, which Docker Hub does not count as a pull). Images built, imported or loaded here are listed as local only. The exit status is 0 whether or not images are outdated.</source>
        <translation>Comparer chaque image locale taguée avec son tag dans le registre (une requête HEAD, que Docker Hub ne compte pas comme un téléchargement). Les images construites, importées ou chargées ici sont listées comme locales uniquement. Le code de sortie est 0 que des images soient périmées ou non.</translation>
    </message>
    <message>
        <source>outdated takes no arguments</source>
        <translation>outdated ne prend pas d&apos;argument</translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n heure</numerusform>
            <numerusform>%n heures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n second(s))</source>
        <translation>
            <numerusform> (%n seconde)</numerusform>
            <numerusform> (%n secondes)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n seconde</numerusform>
            <numerusform>%n secondes</numerusform>
        </translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>non indiqué</translation>
    </message>
    <message>
        <source>Registry:   %1</source>
        <translation>Registre :   %1</translation>
    </message>
    <message>
        <source>Limit:      %1</source>
        <translation>Limite :     %1</translation>
    </message>
    <message numerus="yes">
        <source>%n pull(s)</source>
        <translation>
            <numerusform>%n téléchargement</numerusform>
            <numerusform>%n téléchargements</numerusform>
        </translation>
    </message>
    <message>
        <source>Remaining:  %1</source>
        <translation>Restants :   %1</translation>
    </message>
    <message>
        <source>Window:     %1</source>
        <translation>Fenêtre :    %1</translation>
    </message>
    <message>
        <source>Source:     %1</source>
        <translation>Source :     %1</translation>
    </message>
    <message>
        <source>Show the pull limit a registry states: the limit, the pulls remaining, the window and what it applies to. Asks with a HEAD of the image&apos;s manifest, which Docker Hub does not count as a pull. Without an image, asks Docker Hub about %1.</source>
        <translation>Afficher la limite de téléchargements annoncée par un registre : la limite, les téléchargements restants, la fenêtre et ce à quoi elle s&apos;applique. Demande par un HEAD du manifeste de l&apos;image, que Docker Hub ne compte pas comme un téléchargement. Sans image, interroge Docker Hub sur %1.</translation>
    </message>
    <message>
        <source>e.g. node:20, localhost:5000/app:1.0 (optional)</source>
        <translation>p. ex. node:20, localhost:5000/app:1.0 (facultatif)</translation>
    </message>
    <message>
        <source>ratelimit takes at most one image reference</source>
        <translation>ratelimit prend au plus une référence d&apos;image</translation>
    </message>
    <message>
        <source>%1 states no pull limit.</source>
        <translation>%1 n&apos;annonce aucune limite de téléchargements.</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>avertissement : %1</translation>
    </message>
    <message>
        <source>%1; trying %2.</source>
        <translation>%1 ; essai de %2.</translation>
    </message>
    <message>
        <source>registries.conf: %1</source>
        <translation>registries.conf : %1</translation>
    </message>
    <message>
        <source>an alias in %1</source>
        <translation>un alias de %1</translation>
    </message>
    <message>
        <source>unqualified-search-registries in %1</source>
        <translation>unqualified-search-registries de %1</translation>
    </message>
    <message>
        <source>Resolved the short name %1 to %2 (%3).</source>
        <translation>Nom court %1 résolu en %2 (%3).</translation>
    </message>
    <message>
        <source>unknown format &apos;%1&apos;: use &apos;text&apos;, &apos;json&apos; or a template such as &apos;{{.Repository}}:{{.Tag}}&apos;</source>
        <translation>format inconnu « %1 » : utilisez « text », « json » ou un modèle comme « {{.Repository}}:{{.Tag}} »</translation>
    </message>
    <message>
        <source>the --format template has a &apos;{{&apos; without its &apos;}}&apos;: %1</source>
        <translation>le modèle de --format a un « {{ » sans son « }} » : %1</translation>
    </message>
    <message>
        <source>the --format template names an unknown field &apos;%1&apos;: use %2</source>
        <translation>le modèle de --format nomme un champ inconnu « %1 » : utilisez %2</translation>
    </message>
    <message>
        <source>Only show image IDs.</source>
        <translation>N&apos;afficher que les identifiants des images.</translation>
    </message>
</context>
<context>
    <name>Berth::ContainersModel</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Création</translation>
    </message>
    <message>
        <source>Container ID</source>
        <translation>ID du conteneur</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Commande</translation>
    </message>
</context>
<context>
    <name>Berth::ContainersPage</name>
    <message>
        <source>&amp;Export Filesystem…</source>
        <translation>&amp;Exporter le système de fichiers…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Containers</source>
        <translation>Conteneurs</translation>
    </message>
    <message>
        <source>Write the container&apos;s files to a tar archive</source>
        <translation>Écrire les fichiers du conteneur dans une archive tar</translation>
    </message>
    <message>
        <source>Container actions</source>
        <translation>Actions sur les conteneurs</translation>
    </message>
    <message>
        <source>The containers could not be listed: %1</source>
        <translation>Impossible de lister les conteneurs : %1</translation>
    </message>
    <message>
        <source>No image store is open.</source>
        <translation>Aucun magasin d&apos;images n&apos;est ouvert.</translation>
    </message>
    <message>
        <source>Berth&apos;s embedded store keeps images only. Containers live in Docker or Podman: choose one on the Images page or in Settings to see them here.</source>
        <translation>Le magasin intégré de Berth ne contient que des images. Les conteneurs vivent dans Docker ou Podman : choisissez l&apos;un d&apos;eux sur la page Images ou dans les Paramètres pour les voir ici.</translation>
    </message>
    <message>
        <source>No containers. Containers made with docker run, docker create or podman appear here.</source>
        <translation>Aucun conteneur. Les conteneurs créés avec docker run, docker create ou podman apparaissent ici.</translation>
    </message>
    <message>
        <source>Export the Filesystem of %1</source>
        <translation>Exporter le système de fichiers de %1</translation>
    </message>
    <message>
        <source>Remove Container</source>
        <translation>Supprimer le conteneur</translation>
    </message>
    <message>
        <source>Remove the container %1?</source>
        <translation>Supprimer le conteneur %1 ?</translation>
    </message>
    <message>
        <source>It is running: it will be stopped first. Files written inside it are lost; its image stays.</source>
        <translation>Il est en cours d&apos;exécution : il sera d&apos;abord arrêté. Les fichiers écrits à l&apos;intérieur seront perdus ; son image est conservée.</translation>
    </message>
    <message>
        <source>Files written inside it are lost; its image stays.</source>
        <translation>Les fichiers écrits à l&apos;intérieur seront perdus ; son image est conservée.</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Removed the container %1.</source>
        <translation>Conteneur %1 supprimé.</translation>
    </message>
    <message>
        <source>The container %1 was not removed: %2</source>
        <translation>Le conteneur %1 n&apos;a pas été supprimé : %2</translation>
    </message>
</context>
<context>
    <name>Berth::CopyImageDialog</name>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copy %1</source>
        <translation>Copier %1</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>e.g. registry.example.com/team/app:1.0</source>
        <translation>p. ex. registry.example.com/team/app:1.0</translation>
    </message>
    <message>
        <source>Platforms to copy</source>
        <translation>Plateformes à copier</translation>
    </message>
    <message>
        <source>Copy the image</source>
        <translation>Copier l&apos;image</translation>
    </message>
    <message>
        <source>Image copied</source>
        <translation>Image copiée</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>Image :</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;Vers :</translation>
    </message>
    <message>
        <source>&amp;Platforms:</source>
        <translation>&amp;Plateformes :</translation>
    </message>
    <message>
        <source>Logins:</source>
        <translation>Connexions :</translation>
    </message>
    <message>
        <source>The image as it is</source>
        <translation>L&apos;image telle quelle</translation>
    </message>
    <message numerus="yes">
        <source>All %n platforms (keeps the index and its digest)</source>
        <translation>
            <numerusform>La %n plateforme (garde l&apos;index et son empreinte)</numerusform>
            <numerusform>Les %n plateformes (garde l&apos;index et son empreinte)</numerusform>
        </translation>
    </message>
    <message>
        <source>Only %1</source>
        <translation>Seulement %1</translation>
    </message>
    <message>
        <source>Type where to copy it: [registry/]repository[:tag]. Without a tag, &apos;latest&apos; is used.</source>
        <translation>Indiquez où la copier : [registre/]dépôt[:tag]. Sans tag, &apos;latest&apos; est utilisé.</translation>
    </message>
    <message>
        <source>A destination names a tag, not a digest: the copy keeps the image&apos;s digest by itself. Use a tag such as :1.0.</source>
        <translation>Une destination nomme un tag, pas une empreinte : la copie garde d&apos;elle-même l&apos;empreinte de l&apos;image. Utilisez un tag comme :1.0.</translation>
    </message>
    <message>
        <source>That is the image itself: name another repository or tag.</source>
        <translation>C&apos;est l&apos;image elle-même : nommez un autre dépôt ou un autre tag.</translation>
    </message>
    <message>
        <source>Full name: %1</source>
        <translation>Nom complet : %1</translation>
    </message>
    <message>
        <source>Reads from %1 as %2 (your saved login).</source>
        <translation>Lit depuis %1 en tant que %2 (votre connexion enregistrée).</translation>
    </message>
    <message>
        <source>Writes to %1 as %2 (your saved login).</source>
        <translation>Écrit vers %1 en tant que %2 (votre connexion enregistrée).</translation>
    </message>
    <message>
        <source>Reads from %1 without a saved login of Berth&apos;s (Docker&apos;s or Podman&apos;s login is used if there is one).</source>
        <translation>Lit depuis %1 sans connexion enregistrée dans Berth (celle de Docker ou de Podman est utilisée s&apos;il y en a une).</translation>
    </message>
    <message>
        <source>Writes to %1 without a saved login of Berth&apos;s (Docker&apos;s or Podman&apos;s login is used if there is one).</source>
        <translation>Écrit vers %1 sans connexion enregistrée dans Berth (celle de Docker ou de Podman est utilisée s&apos;il y en a une).</translation>
    </message>
    <message>
        <source>Copied to %1. %2.</source>
        <translation>Copiée vers %1. %2.</translation>
    </message>
    <message>
        <source>The copy did not finish.</source>
        <translation>La copie ne s&apos;est pas terminée.</translation>
    </message>
    <message>
        <source>The copy was cancelled; blobs already copied stay, and a new copy skips them.</source>
        <translation>La copie a été annulée ; les blobs déjà copiés restent, et une nouvelle copie les ignorera.</translation>
    </message>
    <message>
        <source>Cancel Copy</source>
        <translation>Annuler la copie</translation>
    </message>
</context>
<context>
    <name>Berth::DeleteImageDialog</name>
    <message>
        <source>Delete %1</source>
        <translation>Supprimer %1</translation>
    </message>
    <message>
        <source>Looking up the image&apos;s tags</source>
        <translation>Recherche des tags de l&apos;image</translation>
    </message>
    <message>
        <source>Tags deleted with the image</source>
        <translation>Tags supprimés avec l&apos;image</translation>
    </message>
    <message>
        <source>The registry frees the space only when its garbage collection runs; until then the layers stay on its disk.</source>
        <translation>Le registre ne libère l&apos;espace que lors de son nettoyage (garbage collection) ; d&apos;ici là, les couches restent sur son disque.</translation>
    </message>
    <message>
        <source>Delete the image and its tags</source>
        <translation>Supprimer l&apos;image et ses tags</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Looking up every tag of %1 that points at the same image…</source>
        <translation>Recherche de chaque tag de %1 qui pointe vers la même image…</translation>
    </message>
    <message>
        <source>Berth could not find out which tags go with %1, so nothing was deleted.</source>
        <translation>Berth n&apos;a pas pu déterminer quels tags accompagnent %1 : rien n&apos;a été supprimé.</translation>
    </message>
    <message>
        <source>Delete the image %1 from %2? No tag points at it.</source>
        <translation>Supprimer l&apos;image %1 de %2 ? Aucun tag ne pointe vers elle.</translation>
    </message>
    <message numerus="yes">
        <source>Delete this image from %1? A registry deletes images, not tags: the %n tag(s) below point at it and all go with it.</source>
        <translation>
            <numerusform>Supprimer cette image de %1 ? Un registre supprime des images, pas des tags : le %n tag ci-dessous pointe vers elle et partira avec elle.</numerusform>
            <numerusform>Supprimer cette image de %1 ? Un registre supprime des images, pas des tags : les %n tags ci-dessous pointent vers elle et partiront tous avec elle.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Delete the Image</source>
        <translation>&amp;Supprimer l&apos;image</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Delete %n Tag(s)</source>
        <translation>
            <numerusform>&amp;Supprimer %n tag</numerusform>
            <numerusform>&amp;Supprimer %n tags</numerusform>
        </translation>
    </message>
    <message>
        <source>Some tags could not be looked up: other tags may point at this image too, and would go with it.</source>
        <translation>Certains tags n&apos;ont pas pu être vérifiés : d&apos;autres tags pointent peut-être aussi vers cette image et partiraient avec elle.</translation>
    </message>
    <message>
        <source>%1. The registry frees the space at its next garbage collection.</source>
        <translation>%1. Le registre libère l&apos;espace lors de son prochain nettoyage (garbage collection).</translation>
    </message>
    <message>
        <source>Nothing was deleted.</source>
        <translation>Rien n&apos;a été supprimé.</translation>
    </message>
    <message>
        <source>The delete was stopped before the registry answered; look at the tags again to see whether it happened.</source>
        <translation>La suppression a été arrêtée avant la réponse du registre ; regardez à nouveau les tags pour savoir si elle a eu lieu.</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>Berth::EmbeddedBackend</name>
    <message>
        <source>Embedded store at %1</source>
        <translation>Magasin d&apos;images intégré (%1)</translation>
    </message>
    <message>
        <source>%1 cannot be a tag: give a name with a tag, without a digest.</source>
        <translation>%1 ne peut pas servir de tag : donnez un nom avec un tag, sans empreinte.</translation>
    </message>
    <message>
        <source>Image %1 has several tags; remove them one by one, or force the removal.</source>
        <translation>L&apos;image %1 a plusieurs tags ; supprimez-les un par un, ou forcez la suppression.</translation>
    </message>
    <message>
        <source>%1 is a %2, which Berth cannot pull.</source>
        <translation>%1 est de type %2, que Berth ne sait pas télécharger (pull).</translation>
    </message>
    <message>
        <source>%1 has no image for %2 (it has %3).</source>
        <translation>%1 n&apos;a pas d&apos;image pour %2 (plateformes disponibles : %3).</translation>
    </message>
    <message>
        <source>A platform of %1 is not an image manifest.</source>
        <translation>Une plateforme de %1 n&apos;est pas un manifeste d&apos;image.</translation>
    </message>
    <message>
        <source>Already exists</source>
        <translation>Existe déjà</translation>
    </message>
    <message>
        <source>Pull complete</source>
        <translation>Téléchargement terminé</translation>
    </message>
    <message>
        <source>Pushed</source>
        <translation>Publiée</translation>
    </message>
    <message>
        <source>Mounted from another repository</source>
        <translation>Montée depuis un autre dépôt</translation>
    </message>
    <message>
        <source>Layer already exists</source>
        <translation>La couche existe déjà</translation>
    </message>
    <message>
        <source>The registry stored %1 as %2 instead of %3.</source>
        <translation>Le registre a enregistré %1 sous %2 au lieu de %3.</translation>
    </message>
    <message>
        <source>Load reads a file or standard input; download &apos;%1&apos; first.</source>
        <translation>Le chargement lit un fichier ou l&apos;entrée standard ; téléchargez d&apos;abord &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>Cannot write in &apos;%1&apos;: %2</source>
        <translation>Impossible d&apos;écrire dans &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>Layer %1 of %2</source>
        <translation>La couche %1 de %2</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
</context>
<context>
    <name>Berth::EngineBackend</name>
    <message>
        <source>The engine could not pull: %1</source>
        <translation>Le moteur n&apos;a pas pu télécharger l&apos;image : %1</translation>
    </message>
    <message>
        <source>The engine could not push: %1</source>
        <translation>Le moteur n&apos;a pas pu publier l&apos;image : %1</translation>
    </message>
    <message>
        <source>Podman</source>
        <translation>Podman</translation>
    </message>
    <message>
        <source>Docker Engine</source>
        <translation>Docker</translation>
    </message>
    <message>
        <source>Docker or Podman engine</source>
        <translation>Docker ou Podman</translation>
    </message>
    <message>
        <source>No %1 found: no DOCKER_HOST, docker context or default socket.</source>
        <translation>Aucun moteur %1 trouvé : ni DOCKER_HOST, ni contexte docker, ni socket par défaut.</translation>
    </message>
    <message>
        <source>No %1 found. Tried: %2</source>
        <translation>Aucun moteur %1 trouvé. Essayés : %2</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2) : %3</translation>
    </message>
    <message>
        <source>%1 (%2): a %3 engine</source>
        <translation>%1 (%2) : un moteur %3</translation>
    </message>
    <message>
        <source>Docker</source>
        <translation>Docker</translation>
    </message>
    <message>
        <source>Podman %1 (%2)</source>
        <translation>Podman %1 (%2)</translation>
    </message>
    <message>
        <source>Docker Engine %1 (%2)</source>
        <translation>Docker Engine %1 (%2)</translation>
    </message>
    <message>
        <source>The engine sent an unreadable image description.</source>
        <translation>Le moteur a envoyé une description d&apos;image illisible.</translation>
    </message>
    <message>
        <source>A container engine keeps one platform of an image: pull all platforms into the embedded store instead.</source>
        <translation>Un moteur de conteneurs ne garde qu&apos;une plateforme d&apos;une image : téléchargez plutôt toutes les plateformes dans le magasin intégré.</translation>
    </message>
    <message>
        <source>Image is up to date: nothing downloaded.</source>
        <translation>L&apos;image est à jour : rien n&apos;a été téléchargé.</translation>
    </message>
    <message numerus="yes">
        <source>Pulled %n layer(s).</source>
        <translation>
            <numerusform>%n couche téléchargée.</numerusform>
            <numerusform>%n couches téléchargées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Push needs a tag: %1 names an image by digest only.</source>
        <translation>La publication (push) exige un tag : %1 désigne une image uniquement par son empreinte.</translation>
    </message>
    <message>
        <source>The engine finished pushing %1 without saying which digest the registry stored.</source>
        <translation>Le moteur a fini de publier %1 sans indiquer quelle empreinte le registre a enregistrée.</translation>
    </message>
    <message>
        <source>Pushed %1</source>
        <translation>Image publiée : %1</translation>
    </message>
    <message>
        <source>A tag target needs a tag, not a digest: %1</source>
        <translation>La cible d&apos;un tag doit être un tag, pas une empreinte : %1</translation>
    </message>
    <message>
        <source>Name at least one image to save.</source>
        <translation>Indiquez au moins une image à enregistrer.</translation>
    </message>
    <message>
        <source>Load reads a file or standard input; download &apos;%1&apos; first.</source>
        <translation>Le chargement lit un fichier ou l&apos;entrée standard ; téléchargez d&apos;abord &apos;%1&apos;.</translation>
    </message>
    <message>
        <source>The engine could not load the archive: %1</source>
        <translation>Le moteur n&apos;a pas pu charger l&apos;archive : %1</translation>
    </message>
    <message>
        <source>No such container or image: %1</source>
        <translation>Conteneur ou image introuvable : %1</translation>
    </message>
    <message>
        <source>Cannot write &apos;%1&apos;: %2</source>
        <translation>Impossible d&apos;écrire &apos;%1&apos; : %2</translation>
    </message>
    <message>
        <source>The engine sent an unreadable image history.</source>
        <translation>Le moteur a envoyé un historique d&apos;image illisible.</translation>
    </message>
</context>
<context>
    <name>Berth::EngineClient</name>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>Could not write what the engine sent.</source>
        <translation>Impossible d&apos;écrire ce que le moteur a envoyé.</translation>
    </message>
    <message>
        <source>The engine at %1 sent a progress line too long to be one.</source>
        <translation>Le moteur %1 a envoyé une ligne de progression trop longue pour en être une.</translation>
    </message>
    <message>
        <source>Cannot talk to the container engine at %1: %2</source>
        <translation>Impossible de communiquer avec le moteur de conteneurs %1 : %2</translation>
    </message>
    <message>
        <source>%1 does not answer like a Docker Engine API.</source>
        <translation>%1 ne répond pas comme une API Docker Engine.</translation>
    </message>
    <message>
        <source>The engine address %1 is not a unix socket (unix:///path): Berth talks only to a local Docker or Podman engine.</source>
        <translation>L&apos;adresse du moteur %1 n&apos;est pas un socket unix (unix:///chemin) : Berth ne communique qu&apos;avec un moteur Docker ou Podman local.</translation>
    </message>
    <message>
        <source>docker context &quot;%1&quot;</source>
        <translation>contexte docker &quot;%1&quot;</translation>
    </message>
    <message>
        <source>The current docker context &quot;%1&quot; is not defined in %2.</source>
        <translation>Le contexte docker actuel &quot;%1&quot; n&apos;est pas défini dans %2.</translation>
    </message>
    <message>
        <source>default Docker socket</source>
        <translation>socket Docker par défaut</translation>
    </message>
    <message>
        <source>Podman user socket</source>
        <translation>socket Podman utilisateur</translation>
    </message>
    <message>
        <source>Podman system socket</source>
        <translation>socket Podman système</translation>
    </message>
    <message>
        <source>The container engine answered HTTP %1.</source>
        <translation>Le moteur de conteneurs a répondu HTTP %1.</translation>
    </message>
    <message>
        <source>The container engine refused: %1</source>
        <translation>Le moteur de conteneurs a refusé : %1</translation>
    </message>
</context>
<context>
    <name>Berth::ExplorePage</name>
    <message>
        <source>&amp;Official</source>
        <translation>&amp;Officielles</translation>
    </message>
    <message>
        <source>&amp;Verified publisher</source>
        <translation>Éditeurs &amp;vérifiés</translation>
    </message>
    <message>
        <source>Open &amp;source</source>
        <translation>Open &amp;source</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <source>Copy pull command</source>
        <translation>Copier la commande pull</translation>
    </message>
    <message>
        <source>Explore Docker Hub</source>
        <translation>Explorer Docker Hub</translation>
    </message>
    <message>
        <source>Search Docker Hub (Ctrl+F)</source>
        <translation>Rechercher sur Docker Hub (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search Docker Hub</source>
        <translation>Rechercher sur Docker Hub</translation>
    </message>
    <message>
        <source>Official images only</source>
        <translation>Images officielles uniquement</translation>
    </message>
    <message>
        <source>Docker Official Images, curated by Docker</source>
        <translation>Images officielles Docker (Docker Official Images), sélectionnées par Docker</translation>
    </message>
    <message>
        <source>Verified publishers only</source>
        <translation>Éditeurs vérifiés uniquement</translation>
    </message>
    <message>
        <source>Images from publishers Docker has verified</source>
        <translation>Images des éditeurs vérifiés par Docker</translation>
    </message>
    <message>
        <source>Sponsored open source only</source>
        <translation>Open source sponsorisé uniquement</translation>
    </message>
    <message>
        <source>Images of open source projects Docker sponsors</source>
        <translation>Images des projets open source sponsorisés par Docker</translation>
    </message>
    <message>
        <source>Sort results</source>
        <translation>Trier les résultats</translation>
    </message>
    <message>
        <source>Best match</source>
        <translation>Pertinence</translation>
    </message>
    <message>
        <source>Most pulls</source>
        <translation>Les plus téléchargées</translation>
    </message>
    <message>
        <source>Recently updated</source>
        <translation>Mises à jour récemment</translation>
    </message>
    <message>
        <source>So&amp;rt by:</source>
        <translation>T&amp;rier par :</translation>
    </message>
    <message>
        <source>Search error</source>
        <translation>Erreur de recherche</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>État de la recherche</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Résultats de la recherche</translation>
    </message>
    <message>
        <source>Open the selected repository</source>
        <translation>Ouvrir le dépôt sélectionné</translation>
    </message>
    <message>
        <source>Copy the docker pull command of the selected repository</source>
        <translation>Copier la commande docker pull du dépôt sélectionné</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>No repository matches these filters.</source>
        <translation>Aucun dépôt ne correspond à ces filtres.</translation>
    </message>
    <message>
        <source>No repository matches “%1”.</source>
        <translation>Aucun dépôt ne correspond à « %1 ».</translation>
    </message>
    <message numerus="yes">
        <source>%Ln repositories</source>
        <translation>
            <numerusform>%Ln dépôt</numerusform>
            <numerusform>%Ln dépôts</numerusform>
        </translation>
    </message>
    <message>
        <source>Pull…</source>
        <translation>Télécharger…</translation>
    </message>
    <message>
        <source>Search now</source>
        <translation>Rechercher maintenant</translation>
    </message>
    <message>
        <source>Official images error</source>
        <translation>Erreur des images officielles</translation>
    </message>
    <message>
        <source>Pull a tag of the selected repository</source>
        <translation>Télécharger un tag du dépôt sélectionné</translation>
    </message>
    <message>
        <source>Official images</source>
        <translation>Images officielles</translation>
    </message>
    <message>
        <source>Could not get the official images from Docker Hub: %1.</source>
        <translation>Impossible d&apos;obtenir les images officielles depuis Docker Hub : %1.</translation>
    </message>
    <message>
        <source>The official images show here once Docker Hub answers.</source>
        <translation>Les images officielles s&apos;afficheront ici dès que Docker Hub répondra.</translation>
    </message>
    <message>
        <source>Loading the official images…</source>
        <translation>Chargement des images officielles…</translation>
    </message>
    <message>
        <source>Type a name to search Docker Hub.</source>
        <translation>Tapez un nom pour rechercher sur Docker Hub.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln official images, most pulled first. Type a name to search Docker Hub.</source>
        <translation>
            <numerusform>%Ln image officielle. Tapez un nom pour rechercher sur Docker Hub.</numerusform>
            <numerusform>%Ln images officielles, les plus téléchargées en premier. Tapez un nom pour rechercher sur Docker Hub.</numerusform>
        </translation>
    </message>
    <message>
        <source>Docker Hub is not available</source>
        <translation>Docker Hub n&apos;est pas disponible</translation>
    </message>
</context>
<context>
    <name>Berth::ExportDialog</name>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exporter</translation>
    </message>
    <message>
        <source>Show in &amp;Folder</source>
        <translation>Afficher dans le &amp;dossier</translation>
    </message>
    <message>
        <source>Export the Filesystem of %1</source>
        <translation>Exporter le système de fichiers de %1</translation>
    </message>
    <message>
        <source>Exported container or image</source>
        <translation>Conteneur ou image exporté</translation>
    </message>
    <message>
        <source>Tar file to write</source>
        <translation>Fichier tar à écrire</translation>
    </message>
    <message>
        <source>Choose the tar file to write</source>
        <translation>Choisir le fichier tar à écrire</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>For an image made for several platforms: which one to export, such as linux/arm64. Empty: this computer&apos;s.</source>
        <translation>Pour une image construite pour plusieurs plateformes : celle à exporter, par exemple linux/arm64. Vide : celle de cet ordinateur.</translation>
    </message>
    <message>
        <source>This computer&apos;s (%1)</source>
        <translation>Celle de cet ordinateur (%1)</translation>
    </message>
    <message>
        <source>Export the filesystem</source>
        <translation>Exporter le système de fichiers</translation>
    </message>
    <message>
        <source>Written file</source>
        <translation>Fichier écrit</translation>
    </message>
    <message>
        <source>Show the written file in its folder</source>
        <translation>Afficher le fichier écrit dans son dossier</translation>
    </message>
    <message>
        <source>Filesystem of:</source>
        <translation>Système de fichiers de :</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Fichier :</translation>
    </message>
    <message>
        <source>&amp;Platform:</source>
        <translation>P&amp;lateforme :</translation>
    </message>
    <message>
        <source>This computer&apos;s platform</source>
        <translation>La plateforme de cet ordinateur</translation>
    </message>
    <message>
        <source>%1 is a folder: add a file name.</source>
        <translation>%1 est un dossier : ajoutez un nom de fichier.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Le dossier %1 n&apos;existe pas.</translation>
    </message>
    <message>
        <source>Cancel Export</source>
        <translation>Annuler l&apos;export</translation>
    </message>
    <message>
        <source>The filesystem of %1 was written to:</source>
        <translation>Le système de fichiers de %1 a été écrit dans :</translation>
    </message>
    <message>
        <source>The export was cancelled; no file was written.</source>
        <translation>L&apos;export a été annulé ; aucun fichier n&apos;a été écrit.</translation>
    </message>
    <message>
        <source>No file was written.</source>
        <translation>Aucun fichier n&apos;a été écrit.</translation>
    </message>
</context>
<context>
    <name>Berth::FileChangesFilter</name>
    <message>
        <source>%1 → %2</source>
        <extracomment>A changed file&apos;s size: before → after</extracomment>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Changement</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
</context>
<context>
    <name>Berth::FileCompareView</name>
    <message>
        <source>Compare &amp;Files</source>
        <translation>Comparer les &amp;fichiers</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Ajouté</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Modifié</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimé</translation>
    </message>
    <message>
        <source>Files compared</source>
        <translation>Fichiers comparés</translation>
    </message>
    <message>
        <source>File comparison error</source>
        <translation>Erreur de comparaison des fichiers</translation>
    </message>
    <message>
        <source>File comparison summary</source>
        <translation>Résumé de la comparaison des fichiers</translation>
    </message>
    <message>
        <source>Files read so far</source>
        <translation>Fichiers lus jusqu&apos;ici</translation>
    </message>
    <message>
        <source>Files added, changed and deleted</source>
        <translation>Fichiers ajoutés, modifiés et supprimés</translation>
    </message>
    <message>
        <source>Compare the files of the two tags</source>
        <translation>Comparer les fichiers des deux tags</translation>
    </message>
    <message>
        <source>Read the files of both images and show what differs; layers read before are not downloaded again</source>
        <translation>Lire les fichiers des deux images et montrer ce qui diffère ; les couches déjà lues ne sont pas retéléchargées</translation>
    </message>
    <message>
        <source>Cancel the file comparison</source>
        <translation>Annuler la comparaison des fichiers</translation>
    </message>
    <message>
        <source>Show the files the second tag added</source>
        <translation>Afficher les fichiers que le second tag a ajoutés</translation>
    </message>
    <message>
        <source>Show the files the second tag changed</source>
        <translation>Afficher les fichiers que le second tag a modifiés</translation>
    </message>
    <message>
        <source>Show the files the second tag deleted</source>
        <translation>Afficher les fichiers que le second tag a supprimés</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Afficher :</translation>
    </message>
    <message>
        <source>Reading the files of %1 and %2…</source>
        <translation>Lecture des fichiers de %1 et %2…</translation>
    </message>
    <message>
        <source>Compare Files reads the layers of %1 and %2 and lists the files that differ. Layers read before are not downloaded again.</source>
        <translation>Comparer les fichiers lit les couches de %1 et %2 et liste les fichiers qui diffèrent. Les couches déjà lues ne sont pas retéléchargées.</translation>
    </message>
    <message>
        <source>Choose two different tags to compare their files.</source>
        <translation>Choisissez deux tags différents pour comparer leurs fichiers.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>Berth could not compare the files of %1 and %2: %3</source>
        <translation>Berth n&apos;a pas pu comparer les fichiers de %1 et %2 : %3</translation>
    </message>
</context>
<context>
    <name>Berth::FilePreview</name>
    <message>
        <source>About the preview</source>
        <translation>À propos de l&apos;aperçu</translation>
    </message>
    <message>
        <source>File preview</source>
        <translation>Aperçu du fichier</translation>
    </message>
    <message>
        <source>Select a file to see its first lines.</source>
        <translation>Sélectionnez un fichier pour voir ses premières lignes.</translation>
    </message>
    <message>
        <source>%1 is deleted in this layer: there is nothing to show.</source>
        <translation>%1 est supprimé dans cette couche : il n&apos;y a rien à afficher.</translation>
    </message>
    <message>
        <source>%1 is a folder: use Save As… to copy it out.</source>
        <translation>%1 est un dossier : utilisez Enregistrer sous… pour le copier.</translation>
    </message>
    <message>
        <source>%1 is a %2: it has no content to show.</source>
        <translation>%1 est de type %2 : il n&apos;a pas de contenu à afficher.</translation>
    </message>
    <message>
        <source>%1 is empty.</source>
        <translation>%1 est vide.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Lecture de %1…</translation>
    </message>
    <message>
        <source>%1 could not be read. Look inside the image again, or save the file to read it.</source>
        <translation>Impossible de lire %1. Regardez à nouveau dans l&apos;image, ou enregistrez le fichier pour le lire.</translation>
    </message>
    <message>
        <source>%1 is a binary file (%2): use Save As… to open it with another program.</source>
        <translation>%1 est un fichier binaire (%2) : utilisez Enregistrer sous… pour l&apos;ouvrir avec un autre programme.</translation>
    </message>
    <message>
        <source>The first %1 of %2.</source>
        <translation>Les premiers %1 sur %2.</translation>
    </message>
</context>
<context>
    <name>Berth::HubClient</name>
    <message>
        <source>no network access for Docker Hub</source>
        <translation>pas d&apos;accès réseau pour Docker Hub</translation>
    </message>
    <message>
        <source>the answer is larger than %1 MiB</source>
        <translation>la réponse dépasse %1 Mio</translation>
    </message>
    <message>
        <source>secure connection to Docker Hub at %1 failed: %2</source>
        <translation>la connexion sécurisée à Docker Hub (%1) a échoué : %2</translation>
    </message>
    <message>
        <source>Docker Hub at %1 did not answer within %2 seconds</source>
        <translation>Docker Hub (%1) n&apos;a pas répondu en %2 secondes</translation>
    </message>
    <message>
        <source>could not reach Docker Hub at %1: %2</source>
        <translation>impossible de joindre Docker Hub (%1) : %2</translation>
    </message>
    <message numerus="yes">
        <source>Docker Hub rate limit reached; try again in %n seconds</source>
        <translation>
            <numerusform>limite de requêtes de Docker Hub atteinte ; réessayez dans %n seconde</numerusform>
            <numerusform>limite de requêtes de Docker Hub atteinte ; réessayez dans %n secondes</numerusform>
        </translation>
    </message>
    <message>
        <source>Docker Hub rate limit reached; try again later</source>
        <translation>limite de requêtes de Docker Hub atteinte ; réessayez plus tard</translation>
    </message>
    <message>
        <source>Docker Hub failed to answer %1 (HTTP %2); try again later</source>
        <translation>Docker Hub n&apos;a pas pu répondre à %1 (HTTP %2) ; réessayez plus tard</translation>
    </message>
    <message>
        <source>Docker Hub refused %1 (HTTP %2)</source>
        <translation>Docker Hub a refusé %1 (HTTP %2)</translation>
    </message>
    <message>
        <source>Docker Hub search shows at most the first %1 results</source>
        <translation>la recherche Docker Hub n&apos;affiche que les %1 premiers résultats</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid Docker Hub repository name</source>
        <translation>&apos;%1&apos; n&apos;est pas un nom de dépôt Docker Hub valide</translation>
    </message>
    <message>
        <source>repository &apos;%1&apos; was not found on Docker Hub</source>
        <translation>dépôt &apos;%1&apos; introuvable sur Docker Hub</translation>
    </message>
</context>
<context>
    <name>Berth::ImageBackend</name>
    <message>
        <source>This backend has no containers.</source>
        <translation>Ce backend ne gère pas de conteneurs.</translation>
    </message>
</context>
<context>
    <name>Berth::ImageCardDelegate</name>
    <message>
        <source>★ %1</source>
        <comment>star count</comment>
        <translation>★ %1</translation>
    </message>
    <message>
        <source>↓ %1 pulls</source>
        <comment>pull count</comment>
        <translation>↓ %1 téléchargements</translation>
    </message>
</context>
<context>
    <name>Berth::ImageDetailsDialog</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Lecture de %1…</translation>
    </message>
    <message>
        <source>Image %1</source>
        <translation>Image %1</translation>
    </message>
    <message>
        <source>Image details</source>
        <translation>Détails de l&apos;image</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Couches</translation>
    </message>
    <message>
        <source>#</source>
        <translation>N°</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>Empreinte</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Media type</source>
        <translation>Type de média</translation>
    </message>
    <message>
        <source>Build history</source>
        <translation>Historique de construction</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Création</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>Instruction</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <source>Reconstructed Dockerfile</source>
        <translation>Dockerfile reconstitué</translation>
    </message>
    <message>
        <source>As a &amp;Dockerfile:</source>
        <translation>Sous forme de &amp;Dockerfile :</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>&amp;Aperçu</translation>
    </message>
    <message>
        <source>&amp;Configuration</source>
        <translation>&amp;Configuration</translation>
    </message>
    <message>
        <source>&amp;Layers</source>
        <translation>C&amp;ouches</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Historique</translation>
    </message>
    <message>
        <source>The image store is closed.</source>
        <translation>Le magasin d&apos;images est fermé.</translation>
    </message>
    <message>
        <source>Tags:</source>
        <translation>Tags :</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>Image ID:</source>
        <translation>ID de l&apos;image :</translation>
    </message>
    <message>
        <source>Digests:</source>
        <translation>Empreintes :</translation>
    </message>
    <message>
        <source>Manifest:</source>
        <translation>Manifeste :</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>Création :</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Taille :</translation>
    </message>
    <message>
        <source>Platform:</source>
        <translation>Plateforme :</translation>
    </message>
    <message>
        <source>Author:</source>
        <translation>Auteur :</translation>
    </message>
    <message>
        <source>Entrypoint:</source>
        <translation>Point d&apos;entrée :</translation>
    </message>
    <message>
        <source>Command:</source>
        <translation>Commande :</translation>
    </message>
    <message>
        <source>Working directory:</source>
        <translation>Répertoire de travail :</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Utilisateur :</translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation>Environnement :</translation>
    </message>
    <message>
        <source>Exposed ports:</source>
        <translation>Ports exposés :</translation>
    </message>
    <message>
        <source>Volumes:</source>
        <translation>Volumes :</translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation>Labels :</translation>
    </message>
    <message>
        <source>Stop signal:</source>
        <translation>Signal d&apos;arrêt :</translation>
    </message>
    <message>
        <source>Uncompressed digest (diff ID)</source>
        <translation>Empreinte non compressée (diff ID)</translation>
    </message>
    <message>
        <source>The build history of %1 could not be read: %2</source>
        <translation>Impossible de lire l&apos;historique de construction de %1 : %2</translation>
    </message>
    <message>
        <source>&amp;Files</source>
        <translation>&amp;Fichiers</translation>
    </message>
</context>
<context>
    <name>Berth::ImageFilesDialog</name>
    <message>
        <source>Files in %1</source>
        <translation>Fichiers de %1</translation>
    </message>
</context>
<context>
    <name>Berth::ImageFilesModel</name>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Symbolic link to %1</source>
        <translation>Lien symbolique vers %1</translation>
    </message>
    <message>
        <source>Hard link to /%1</source>
        <translation>Lien physique vers /%1</translation>
    </message>
    <message>
        <source>%1 in layer %2</source>
        <translation>%1 dans la couche %2</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Propriétaire</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Ajouté</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Modifié</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimé</translation>
    </message>
</context>
<context>
    <name>Berth::ImageFilesView</name>
    <message>
        <source>Added %1, changed %2, deleted %3 · %4 made useless by later layers</source>
        <translation>Ajoutés %1, modifiés %2, supprimés %3 · %4 rendus inutiles par les couches suivantes</translation>
    </message>
    <message>
        <source>Look &amp;Inside</source>
        <translation>Regarder à l&apos;&amp;intérieur</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <source>Only this lay&amp;er&apos;s changes</source>
        <translation>Seulement les changements de cette c&amp;ouche</translation>
    </message>
    <message>
        <source>Files of the image</source>
        <translation>Fichiers de l&apos;image</translation>
    </message>
    <message>
        <source>Look inside the image</source>
        <translation>Regarder à l&apos;intérieur de l&apos;image</translation>
    </message>
    <message>
        <source>Files problem</source>
        <translation>Problème de fichiers</translation>
    </message>
    <message>
        <source>Progress of looking inside</source>
        <translation>Progression de l&apos;examen</translation>
    </message>
    <message>
        <source>Stop looking inside</source>
        <translation>Arrêter l&apos;examen</translation>
    </message>
    <message>
        <source>Layer shown</source>
        <translation>Couche affichée</translation>
    </message>
    <message>
        <source>Show the whole image, or what one layer added, changed and deleted</source>
        <translation>Afficher toute l&apos;image, ou ce qu&apos;une couche a ajouté, modifié et supprimé</translation>
    </message>
    <message>
        <source>Only this layer&apos;s changes</source>
        <translation>Seulement les changements de cette couche</translation>
    </message>
    <message>
        <source>Filter by name (Ctrl+F)</source>
        <translation>Filtrer par nom (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter files by name</source>
        <translation>Filtrer les fichiers par nom</translation>
    </message>
    <message>
        <source>Wasted space</source>
        <translation>Espace gaspillé</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Largest files</source>
        <translation>Plus gros fichiers</translation>
    </message>
    <message>
        <source>Activate a file to select it in the tree</source>
        <translation>Activez un fichier pour le sélectionner dans l&apos;arborescence</translation>
    </message>
    <message>
        <source>&amp;Save As…</source>
        <translation>&amp;Enregistrer sous…</translation>
    </message>
    <message>
        <source>Save the selected file, or the selected folder into a folder</source>
        <translation>Enregistrer le fichier sélectionné, ou le dossier sélectionné dans un dossier</translation>
    </message>
    <message>
        <source>Save as &amp;Archive…</source>
        <translation>Enregistrer comme &amp;archive…</translation>
    </message>
    <message>
        <source>Save the selected file or folder as a tar archive</source>
        <translation>Enregistrer le fichier ou le dossier sélectionné comme archive tar</translation>
    </message>
    <message>
        <source>La&amp;yer:</source>
        <translation>Cou&amp;che :</translation>
    </message>
    <message>
        <source>Lar&amp;gest files</source>
        <translation>Plus &amp;gros fichiers</translation>
    </message>
    <message>
        <source>Select an image to see the files inside it.</source>
        <translation>Sélectionnez une image pour voir les fichiers qu&apos;elle contient.</translation>
    </message>
    <message>
        <source>See the files inside %1 without pulling it. Berth reads each layer once and remembers what it holds, so a second look downloads nothing.</source>
        <translation>Voir les fichiers de %1 sans la télécharger. Berth lit chaque couche une fois et retient ce qu&apos;elle contient : un second examen ne télécharge rien.</translation>
    </message>
    <message>
        <source>Looking inside %1… The Transfers panel shows this too.</source>
        <translation>Examen de %1… Le panneau Transferts l&apos;affiche aussi.</translation>
    </message>
    <message>
        <source>Stopped looking inside %1.</source>
        <translation>Examen de %1 arrêté.</translation>
    </message>
    <message>
        <source>All layers (%1)</source>
        <translation>Toutes les couches (%1)</translation>
    </message>
    <message>
        <source>Layer %1 (%2)</source>
        <translation>Couche %1 (%2)</translation>
    </message>
    <message>
        <source>Layer %1 · %2 (%3)</source>
        <translation>Couche %1 · %2 (%3)</translation>
    </message>
    <message numerus="yes">
        <source>%n path(s), %1 · efficiency %2 % · %3 wasted (files later layers overwrite or delete)</source>
        <translation>
            <numerusform>%n chemin, %1 · efficacité %2 % · %3 gaspillés (fichiers écrasés ou supprimés par les couches suivantes)</numerusform>
            <numerusform>%n chemins, %1 · efficacité %2 % · %3 gaspillés (fichiers écrasés ou supprimés par les couches suivantes)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1  %2 (layer %3)</source>
        <translation>%1  %2 (couche %3)</translation>
    </message>
    <message>
        <source>Reading layer %1…</source>
        <translation>Lecture de la couche %1…</translation>
    </message>
    <message>
        <source>Layer %1 could not be shown.</source>
        <translation>La couche %1 n&apos;a pas pu être affichée.</translation>
    </message>
    <message>
        <source>Look inside the image again.</source>
        <translation>Regardez à nouveau dans l&apos;image.</translation>
    </message>
    <message>
        <source>Filtering…</source>
        <translation>Filtrage…</translation>
    </message>
    <message>
        <source>This layer changed nothing.</source>
        <translation>Cette couche n&apos;a rien changé.</translation>
    </message>
    <message>
        <source>No name contains “%1”.</source>
        <translation>Aucun nom ne contient « %1 ».</translation>
    </message>
    <message numerus="yes">
        <source>%n path(s) match</source>
        <translation>
            <numerusform>%n chemin correspond</numerusform>
            <numerusform>%n chemins correspondent</numerusform>
        </translation>
    </message>
    <message>
        <source>Save %1 as an Archive</source>
        <translation>Enregistrer %1 comme archive</translation>
    </message>
    <message>
        <source>Save the Folder %1 Into</source>
        <translation>Enregistrer le dossier %1 dans</translation>
    </message>
    <message>
        <source>Save %1 As</source>
        <translation>Enregistrer %1 sous</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>Berth::ImageHistoryView</name>
    <message>
        <source>Image layers and history</source>
        <translation>Couches et historique de l&apos;image</translation>
    </message>
    <message>
        <source>Tag shown</source>
        <translation>Tag affiché</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>The platform whose image is shown</source>
        <translation>La plateforme dont l&apos;image est affichée</translation>
    </message>
    <message>
        <source>Image error</source>
        <translation>Erreur d&apos;image</translation>
    </message>
    <message>
        <source>Image summary</source>
        <translation>Résumé de l&apos;image</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Couches</translation>
    </message>
    <message>
        <source>#</source>
        <translation>N°</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>Empreinte</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>Créée par</translation>
    </message>
    <message>
        <source>Build history as a Dockerfile</source>
        <translation>Historique de construction sous forme de Dockerfile</translation>
    </message>
    <message>
        <source>Select a tag to see how its image was built.</source>
        <translation>Sélectionnez un tag pour voir comment son image a été construite.</translation>
    </message>
    <message>
        <source>&amp;Platform:</source>
        <translation>&amp;Plateforme :</translation>
    </message>
    <message>
        <source>Build history (reconstructed Dockerfile)</source>
        <translation>Historique de construction (Dockerfile reconstitué)</translation>
    </message>
    <message>
        <source>No tag selected</source>
        <translation>Aucun tag sélectionné</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Par défaut</translation>
    </message>
    <message>
        <source>Reading the image from %1…</source>
        <translation>Lecture de l&apos;image depuis %1…</translation>
    </message>
    <message>
        <source>%1 holds no image.</source>
        <translation>%1 ne contient aucune image.</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n layer(s), %2 compressed</source>
        <translation>
            <numerusform>%1, %n couche (%2 compressée)</numerusform>
            <numerusform>%1, %n couches (%2 compressées)</numerusform>
        </translation>
    </message>
    <message>
        <source>built %1</source>
        <translation>construite %1</translation>
    </message>
</context>
<context>
    <name>Berth::ImagesPage</name>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Image actions</source>
        <translation>Actions sur les images</translation>
    </message>
    <message>
        <source>&amp;Pull…</source>
        <translation>&amp;Télécharger…</translation>
    </message>
    <message>
        <source>&amp;Load…</source>
        <translation>&amp;Charger…</translation>
    </message>
    <message>
        <source>P&amp;ush…</source>
        <translation>&amp;Publier…</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Enregistrer…</translation>
    </message>
    <message>
        <source>&amp;Export Filesystem…</source>
        <translation>E&amp;xporter le système de fichiers…</translation>
    </message>
    <message>
        <source>&amp;Tag…</source>
        <translation>Ta&amp;guer…</translation>
    </message>
    <message>
        <source>&amp;Inspect</source>
        <translation>&amp;Inspecter</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Supprimer…</translation>
    </message>
    <message>
        <source>P&amp;rune…</source>
        <translation>&amp;Nettoyer…</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Push the selected image to a registry</source>
        <translation>Publier l&apos;image sélectionnée sur un registre</translation>
    </message>
    <message>
        <source>Save the selected images to an archive file</source>
        <translation>Enregistrer les images sélectionnées dans un fichier d&apos;archive</translation>
    </message>
    <message>
        <source>Write the image&apos;s files, flattened, to a tar archive</source>
        <translation>Écrire les fichiers de l&apos;image, aplatis, dans une archive tar</translation>
    </message>
    <message>
        <source>Remove images nothing uses</source>
        <translation>Supprimer les images que rien n&apos;utilise</translation>
    </message>
    <message>
        <source>Where images are stored</source>
        <translation>Où les images sont stockées</translation>
    </message>
    <message>
        <source>Image store in use</source>
        <translation>Magasin d&apos;images utilisé</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>I&amp;mages in:</source>
        <translation>I&amp;mages dans :</translation>
    </message>
    <message>
        <source>Filter images</source>
        <translation>Filtrer les images</translation>
    </message>
    <message>
        <source>Filter images by name</source>
        <translation>Filtrer les images par nom</translation>
    </message>
    <message>
        <source>Local images</source>
        <translation>Images locales</translation>
    </message>
    <message>
        <source>Pull an Image…</source>
        <translation>Télécharger une image…</translation>
    </message>
    <message>
        <source>Load an Archive…</source>
        <translation>Charger une archive…</translation>
    </message>
    <message>
        <source>The images could not be listed: %1</source>
        <translation>Impossible de lister les images : %1</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>No image store open</source>
        <translation>Aucun magasin d&apos;images ouvert</translation>
    </message>
    <message>
        <source>No image store is open. Choose where images live above.</source>
        <translation>Aucun magasin d&apos;images n&apos;est ouvert. Choisissez ci-dessus où sont stockées les images.</translation>
    </message>
    <message>
        <source>The images could not be listed.</source>
        <translation>Impossible de lister les images.</translation>
    </message>
    <message>
        <source>No images yet. Pull one from a registry (node:20, for example) or load an archive someone gave you.</source>
        <translation>Aucune image pour l&apos;instant. Téléchargez-en une depuis un registre (node:20, par exemple) ou chargez une archive qu&apos;on vous a donnée.</translation>
    </message>
    <message>
        <source>Load Images From an Archive</source>
        <translation>Charger des images depuis une archive</translation>
    </message>
    <message>
        <source>Export the Filesystem of %1</source>
        <translation>Exporter le système de fichiers de %1</translation>
    </message>
    <message>
        <source>Remove Images</source>
        <translation>Supprimer des images</translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation>Supprimer %1 ?</translation>
    </message>
    <message numerus="yes">
        <source>Remove these %n image names?</source>
        <translation>
            <numerusform>Supprimer ce nom d&apos;image (%n) ?</numerusform>
            <numerusform>Supprimer ces %n noms d&apos;image ?</numerusform>
        </translation>
    </message>
    <message>
        <source>An image goes when its last name does; layers other images use stay. This cannot be undone, but a pushed image can be pulled again.</source>
        <translation>Une image disparaît avec son dernier nom ; les couches utilisées par d&apos;autres images sont conservées. Cette action est irréversible, mais une image publiée peut être téléchargée à nouveau.</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Removed %1.</source>
        <translation>Supprimé : %1.</translation>
    </message>
    <message>
        <source>%1 was not removed: %2</source>
        <translation>Échec de la suppression de %1 : %2</translation>
    </message>
    <message>
        <source>Prune Images</source>
        <translation>Nettoyer les images</translation>
    </message>
    <message>
        <source>Remove the images nothing uses?</source>
        <translation>Supprimer les images que rien n&apos;utilise ?</translation>
    </message>
    <message>
        <source>Untagged images no container uses are removed. With the box below checked, every image no container uses goes, tagged or not.</source>
        <translation>Les images sans tag qu&apos;aucun conteneur n&apos;utilise sont supprimées. Si la case ci-dessous est cochée, toutes les images qu&apos;aucun conteneur n&apos;utilise sont supprimées, avec ou sans tag.</translation>
    </message>
    <message>
        <source>Also remove &amp;tagged images (all)</source>
        <translation>Supprimer aussi les images avec &amp;tag (toutes)</translation>
    </message>
    <message>
        <source>&amp;Prune</source>
        <translation>&amp;Nettoyer</translation>
    </message>
    <message>
        <source>Nothing was pruned: %1</source>
        <translation>Rien n&apos;a été nettoyé : %1</translation>
    </message>
    <message>
        <source>Nothing to prune: every image is in use or tagged.</source>
        <translation>Rien à nettoyer : toutes les images sont utilisées ou ont un tag.</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n image(s), %1 freed.</source>
        <translation>
            <numerusform>%n image supprimée, espace libéré : %1.</numerusform>
            <numerusform>%n images supprimées, espace libéré : %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Show the Container(s)</source>
        <translation>
            <numerusform>Afficher le conteneur</numerusform>
            <numerusform>Afficher les conteneurs</numerusform>
        </translation>
    </message>
    <message>
        <source>Look Inside &amp;Archive…</source>
        <translation>Regarder dans une &amp;archive…</translation>
    </message>
    <message>
        <source>See the files of the images in an archive without loading it</source>
        <translation>Voir les fichiers des images d&apos;une archive sans la charger</translation>
    </message>
    <message>
        <source>Look Inside an Image Archive</source>
        <translation>Regarder dans une archive d&apos;images</translation>
    </message>
    <message>
        <source>Up&amp;date</source>
        <translation>Mettre à &amp;jour</translation>
    </message>
    <message>
        <source>Pull the newer image the registry has for the selected tags</source>
        <translation>Tirer l&apos;image plus récente que le registre a pour les tags sélectionnés</translation>
    </message>
    <message>
        <source>C&amp;heck for Updates</source>
        <translation>&amp;Rechercher des mises à jour</translation>
    </message>
    <message>
        <source>Ask each image&apos;s registry whether its tag points at a newer image (HEAD requests only: Docker Hub does not count them as pulls)</source>
        <translation>Demander au registre de chaque image si son tag pointe vers une image plus récente (requêtes HEAD uniquement : Docker Hub ne les compte pas comme des téléchargements)</translation>
    </message>
    <message>
        <source>Checking for updates failed: %1</source>
        <translation>La recherche de mises à jour a échoué : %1</translation>
    </message>
    <message numerus="yes">
        <source>%n image tag(s) can be updated: select them and choose Update.</source>
        <translation>
            <numerusform>%n tag d&apos;image peut être mis à jour : sélectionnez-le et choisissez Mettre à jour.</numerusform>
            <numerusform>%n tags d&apos;image peuvent être mis à jour : sélectionnez-les et choisissez Mettre à jour.</numerusform>
        </translation>
    </message>
    <message>
        <source>C&amp;hecking for Updates…</source>
        <translation>&amp;Recherche de mises à jour…</translation>
    </message>
    <message numerus="yes">
        <source>Pulling %n update(s); the Transfers panel shows the progress.</source>
        <translation>
            <numerusform>Téléchargement de %n mise à jour ; le panneau Transferts montre la progression.</numerusform>
            <numerusform>Téléchargement de %n mises à jour ; le panneau Transferts montre la progression.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::ImportDialog</name>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Fichier :</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL :</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importer</translation>
    </message>
    <message>
        <source>Import a Filesystem as an Image</source>
        <translation>Importer un système de fichiers comme image</translation>
    </message>
    <message>
        <source>Makes a one-layer image from a filesystem archive, such as one written by &lt;i&gt;docker export&lt;/i&gt;. Compressed archives are recognised.</source>
        <translation>Crée une image à une seule couche à partir de l&apos;archive d&apos;un système de fichiers, comme celle qu&apos;écrit &lt;i&gt;docker export&lt;/i&gt;. Les archives compressées sont reconnues.</translation>
    </message>
    <message>
        <source>Import from a file</source>
        <translation>Importer depuis un fichier</translation>
    </message>
    <message>
        <source>Import from a URL</source>
        <translation>Importer depuis une URL</translation>
    </message>
    <message>
        <source>Filesystem archive</source>
        <translation>Archive du système de fichiers</translation>
    </message>
    <message>
        <source>/path/to/rootfs.tar</source>
        <translation>/chemin/vers/rootfs.tar</translation>
    </message>
    <message>
        <source>Choose the filesystem archive</source>
        <translation>Choisir l&apos;archive du système de fichiers</translation>
    </message>
    <message>
        <source>Address of the filesystem archive</source>
        <translation>Adresse de l&apos;archive du système de fichiers</translation>
    </message>
    <message>
        <source>https://example.com/rootfs.tar.gz</source>
        <translation>https://example.com/rootfs.tar.gz</translation>
    </message>
    <message>
        <source>Repository and tag</source>
        <translation>Dépôt et tag</translation>
    </message>
    <message>
        <source>my-image:1.0 (optional)</source>
        <translation>mon-image:1.0 (facultatif)</translation>
    </message>
    <message>
        <source>Leave empty for an untagged image, as docker import does.</source>
        <translation>Laissez vide pour une image sans tag, comme le fait docker import.</translation>
    </message>
    <message>
        <source>Dockerfile changes, one per line</source>
        <translation>Modifications de Dockerfile, une par ligne</translation>
    </message>
    <message>
        <source>One instruction per line, for example:
CMD [&quot;/bin/sh&quot;]
ENV LANG=C.UTF-8
EXPOSE 8080</source>
        <translation>Une instruction par ligne, par exemple :
CMD [&quot;/bin/sh&quot;]
ENV LANG=C.UTF-8
EXPOSE 8080</translation>
    </message>
    <message>
        <source>CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR and HEALTHCHECK, as in a Dockerfile.</source>
        <translation>CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR et HEALTHCHECK, comme dans un Dockerfile.</translation>
    </message>
    <message>
        <source>Message for the image&apos;s history</source>
        <translation>Message pour l&apos;historique de l&apos;image</translation>
    </message>
    <message>
        <source>Imported from … (optional)</source>
        <translation>Importée depuis … (facultatif)</translation>
    </message>
    <message>
        <source>Import the archive</source>
        <translation>Importer l&apos;archive</translation>
    </message>
    <message>
        <source>&amp;Repository:tag:</source>
        <translation>&amp;Dépôt:tag :</translation>
    </message>
    <message>
        <source>&amp;Changes:</source>
        <translation>Modifi&amp;cations :</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Message :</translation>
    </message>
    <message>
        <source>Import a Filesystem Archive</source>
        <translation>Importer l&apos;archive d&apos;un système de fichiers</translation>
    </message>
    <message>
        <source>Choose the archive to import.</source>
        <translation>Choisissez l&apos;archive à importer.</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 n&apos;existe pas.</translation>
    </message>
    <message>
        <source>%1 is not a file.</source>
        <translation>%1 n&apos;est pas un fichier.</translation>
    </message>
    <message>
        <source>Enter the archive&apos;s address.</source>
        <translation>Saisissez l&apos;adresse de l&apos;archive.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an http or https address, such as https://example.com/rootfs.tar.gz.</source>
        <translation>&apos;%1&apos; n&apos;est pas une adresse http ou https, comme https://example.com/rootfs.tar.gz.</translation>
    </message>
    <message>
        <source>An imported image gets a tag, not a digest: remove &apos;@%1&apos;.</source>
        <translation>Une image importée reçoit un tag, pas une empreinte : retirez &apos;@%1&apos;.</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Ligne %1 : %2</translation>
    </message>
    <message>
        <source>Cancel Import</source>
        <translation>Annuler l&apos;import</translation>
    </message>
    <message>
        <source>Imported %1.</source>
        <translation>%1 importée.</translation>
    </message>
    <message>
        <source>The import was cancelled; no image was made.</source>
        <translation>L&apos;import a été annulé ; aucune image n&apos;a été créée.</translation>
    </message>
    <message>
        <source>No image was made.</source>
        <translation>Aucune image n&apos;a été créée.</translation>
    </message>
</context>
<context>
    <name>Berth::InlineMessage</name>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Close message</source>
        <translation>Fermer le message</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
</context>
<context>
    <name>Berth::JobDialog</name>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>Berth::JobProgress</name>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>%1 of %2: %3</source>
        <translation>%1 sur %2 : %3</translation>
    </message>
</context>
<context>
    <name>Berth::LoadDialog</name>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation>&amp;Charger</translation>
    </message>
    <message>
        <source>Load Images From an Archive</source>
        <translation>Charger des images depuis une archive</translation>
    </message>
    <message>
        <source>Choose an archive made by &lt;i&gt;docker save&lt;/i&gt;, &lt;i&gt;podman save&lt;/i&gt; or Berth, or drop it here. Plain, gzip, zstd, xz and bzip2 archives are read.</source>
        <translation>Choisissez une archive créée par &lt;i&gt;docker save&lt;/i&gt;, &lt;i&gt;podman save&lt;/i&gt; ou Berth, ou déposez-la ici. Les archives non compressées, gzip, zstd, xz et bzip2 sont lues.</translation>
    </message>
    <message>
        <source>Archive to load</source>
        <translation>Archive à charger</translation>
    </message>
    <message>
        <source>/path/to/images.tar.gz</source>
        <translation>/chemin/vers/images.tar.gz</translation>
    </message>
    <message>
        <source>Choose the archive</source>
        <translation>Choisir l&apos;archive</translation>
    </message>
    <message>
        <source>Load the archive</source>
        <translation>Charger l&apos;archive</translation>
    </message>
    <message>
        <source>&amp;Archive:</source>
        <translation>&amp;Archive :</translation>
    </message>
    <message>
        <source>%1 is not a file. Choose an image archive.</source>
        <translation>%1 n&apos;est pas un fichier. Choisissez une archive d&apos;images.</translation>
    </message>
    <message>
        <source>%1 does not exist. Check the path, or choose the archive with Browse.</source>
        <translation>%1 n&apos;existe pas. Vérifiez le chemin, ou choisissez l&apos;archive avec Parcourir.</translation>
    </message>
    <message>
        <source>Loaded image ID: %1</source>
        <translation>ID d&apos;image chargée : %1</translation>
    </message>
    <message>
        <source>Loaded image: %1</source>
        <translation>Image chargée : %1</translation>
    </message>
    <message>
        <source>The archive held no image.</source>
        <translation>L&apos;archive ne contenait aucune image.</translation>
    </message>
    <message>
        <source>Loading was cancelled; nothing was loaded.</source>
        <translation>Le chargement a été annulé ; rien n&apos;a été chargé.</translation>
    </message>
    <message>
        <source>Cancel Loading</source>
        <translation>Annuler le chargement</translation>
    </message>
    <message>
        <source>Nothing was loaded.</source>
        <translation>Rien n&apos;a été chargé.</translation>
    </message>
</context>
<context>
    <name>Berth::LocalImagesModel</name>
    <message>
        <source>No image store is open.</source>
        <translation>Aucun magasin d&apos;images n&apos;est ouvert.</translation>
    </message>
    <message>
        <source>Untagged image %1</source>
        <translation>Image sans tag %1</translation>
    </message>
    <message>
        <source>&lt;none&gt;</source>
        <translation>&lt;aucun&gt;</translation>
    </message>
    <message>
        <source>%1, image %2</source>
        <translation>%1, image %2</translation>
    </message>
    <message>
        <source>Repository:tag</source>
        <translation>Dépôt:tag</translation>
    </message>
    <message>
        <source>Image ID</source>
        <translation>ID de l&apos;image</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Création</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>Utilisée</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>Used by the container(s) %1</source>
        <translation>
            <numerusform>Utilisée par le conteneur %1</numerusform>
            <numerusform>Utilisée par les conteneurs %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Update available</source>
        <translation>Mise à jour disponible</translation>
    </message>
    <message>
        <source>%1, update available</source>
        <translation>%1, mise à jour disponible</translation>
    </message>
</context>
<context>
    <name>Berth::LoginDialog</name>
    <message>
        <source>Docker Hub (docker.io)</source>
        <translation>Docker Hub (docker.io)</translation>
    </message>
    <message>
        <source>Log In to a Registry</source>
        <translation>Se connecter à un registre</translation>
    </message>
    <message>
        <source>Registry</source>
        <translation>Registre</translation>
    </message>
    <message>
        <source>Docker Hub, or a registry&apos;s address: ghcr.io, localhost:5000…</source>
        <translation>Docker Hub, ou l&apos;adresse d&apos;un registre : ghcr.io, localhost:5000…</translation>
    </message>
    <message>
        <source>&amp;Registry:</source>
        <translation>&amp;Registre :</translation>
    </message>
    <message>
        <source>&amp;Log In</source>
        <translation>Se &amp;connecter</translation>
    </message>
</context>
<context>
    <name>Berth::LoginForm</name>
    <message>
        <source>Docker Hub (docker.io)</source>
        <translation>Docker Hub (docker.io)</translation>
    </message>
    <message>
        <source>Remember in the system &amp;keychain</source>
        <translation>Mémoriser dans le &amp;trousseau du système</translation>
    </message>
    <message>
        <source>&amp;Shared computer: forget when Berth quits</source>
        <translation>Ordinateur &amp;partagé : oublier à la fermeture de Berth</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nom d&apos;utilisateur</translation>
    </message>
    <message>
        <source>Password or access token</source>
        <translation>Mot de passe ou jeton d&apos;accès</translation>
    </message>
    <message>
        <source>Where the registry offers them (Docker Hub, GitHub), an access token is safer than your password.</source>
        <translation>Quand le registre en propose (Docker Hub, GitHub), un jeton d&apos;accès est plus sûr que votre mot de passe.</translation>
    </message>
    <message>
        <source>Remember in the system keychain</source>
        <translation>Mémoriser dans le trousseau du système</translation>
    </message>
    <message>
        <source>Shared computer: forget when Berth quits</source>
        <translation>Ordinateur partagé : oublier à la fermeture de Berth</translation>
    </message>
    <message>
        <source>The login stays in memory only and is forgotten when Berth quits.</source>
        <translation>Les identifiants restent uniquement en mémoire et sont oubliés à la fermeture de Berth.</translation>
    </message>
    <message>
        <source>Checking the login</source>
        <translation>Vérification des identifiants</translation>
    </message>
    <message>
        <source>This computer is marked as shared in Settings: logins are not kept.</source>
        <translation>Cet ordinateur est marqué comme partagé dans les Paramètres : les identifiants ne sont pas conservés.</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>Nom d&apos;&amp;utilisateur :</translation>
    </message>
    <message>
        <source>&amp;Password or token:</source>
        <translation>&amp;Mot de passe ou jeton :</translation>
    </message>
    <message>
        <source>Checking your login with %1…</source>
        <translation>Vérification de vos identifiants auprès de %1…</translation>
    </message>
    <message>
        <source>Saving your login…</source>
        <translation>Enregistrement de vos identifiants…</translation>
    </message>
    <message>
        <source>%1
The login was not kept. Choose &quot;Shared computer&quot; to use it for this session only.</source>
        <translation>%1
Les identifiants n&apos;ont pas été conservés. Choisissez « Ordinateur partagé » pour les utiliser pendant cette session uniquement.</translation>
    </message>
</context>
<context>
    <name>Berth::MainWindow</name>
    <message>
        <source>Berth</source>
        <translation>Berth</translation>
    </message>
    <message>
        <source>Explore</source>
        <translation>Explorer</translation>
    </message>
    <message>
        <source>Registries</source>
        <translation>Registres</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Dépôt</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Containers</source>
        <translation>Conteneurs</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>Image backend</source>
        <translation>Backend d&apos;images</translation>
    </message>
    <message>
        <source>Looking for an image backend…</source>
        <translation>Recherche d&apos;un backend d&apos;images…</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <source>Share…</source>
        <translation>Partager…</translation>
    </message>
    <message>
        <source>Push images to a registry or save them to an archive</source>
        <translation>Publier des images sur un registre ou les enregistrer dans une archive</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>Charger…</translation>
    </message>
    <message>
        <source>Load images from an archive (docker load)</source>
        <translation>Charger des images depuis une archive (docker load)</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importer…</translation>
    </message>
    <message>
        <source>Import a filesystem archive as an image (docker import)</source>
        <translation>Importer l&apos;archive d&apos;un système de fichiers comme image (docker import)</translation>
    </message>
    <message>
        <source>Log In…</source>
        <translation>Se connecter…</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>Search Docker Hub</source>
        <translation>Rechercher sur Docker Hub</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Aller</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Compte</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>No image backend</source>
        <translation>Aucun backend d&apos;images</translation>
    </message>
    <message>
        <source>Transfers in Progress</source>
        <translation>Transferts en cours</translation>
    </message>
    <message>
        <source>Some transfers are still running. Quit and cancel them?</source>
        <translation>Des transferts sont encore en cours. Quitter et les annuler ?</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Aff&amp;ichage</translation>
    </message>
    <message>
        <source>&amp;Transfers</source>
        <translation>&amp;Transferts</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>Transferts</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n container(s)</source>
        <translation>
            <numerusform>%n conteneur</numerusform>
            <numerusform>%n conteneurs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) running</source>
        <translation>
            <numerusform>%n transfert en cours</numerusform>
            <numerusform>%n transferts en cours</numerusform>
        </translation>
    </message>
    <message>
        <source>No transfer running</source>
        <translation>Aucun transfert en cours</translation>
    </message>
    <message>
        <source>Check Settings → Network.</source>
        <translation>Vérifiez Paramètres → Réseau.</translation>
    </message>
    <message>
        <source>&amp;User Guide</source>
        <translation>&amp;Guide de l&apos;utilisateur</translation>
    </message>
    <message>
        <source>&amp;About Berth</source>
        <translation>À &amp;propos de Berth</translation>
    </message>
</context>
<context>
    <name>Berth::NetworkSettingsPage</name>
    <message>
        <source>Use the &amp;system&apos;s proxy settings</source>
        <translation>Utiliser les réglages de proxy du &amp;système</translation>
    </message>
    <message>
        <source>&amp;No proxy: connect to every host directly</source>
        <translation>&amp;Aucun proxy : se connecter directement à chaque hôte</translation>
    </message>
    <message>
        <source>&amp;Manual proxy:</source>
        <translation>Proxy &amp;manuel :</translation>
    </message>
    <message>
        <source>When images are stored in Docker or Podman, the engine downloads them with its own proxy settings, not these.</source>
        <translation>Quand les images sont stockées dans Docker ou Podman, le moteur les télécharge avec ses propres réglages de proxy, pas avec ceux-ci.</translation>
    </message>
    <message>
        <source>Proxy host</source>
        <translation>Hôte du proxy</translation>
    </message>
    <message>
        <source>proxy.example.com</source>
        <translation>proxy.example.com</translation>
    </message>
    <message>
        <source>Proxy port</source>
        <translation>Port du proxy</translation>
    </message>
    <message>
        <source>Proxy user name</source>
        <translation>Nom d&apos;utilisateur du proxy</translation>
    </message>
    <message>
        <source>Only if the proxy asks for a login</source>
        <translation>Seulement si le proxy demande un identifiant</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>Mot de passe du proxy</translation>
    </message>
    <message>
        <source>Hosts reached without the proxy</source>
        <translation>Hôtes joints sans le proxy</translation>
    </message>
    <message>
        <source>.example.com, 10.0.0.0/8, registry.local:5000</source>
        <translation>.example.com, 10.0.0.0/8, registry.local:5000</translation>
    </message>
    <message>
        <source>Comma-separated: host names (a leading dot or not, subdomains included), IP addresses, CIDR ranges, host:port, or * for all. localhost and 127.0.0.1 never use the proxy.</source>
        <translation>Séparés par des virgules : noms d&apos;hôte (avec ou sans point initial, sous-domaines compris), adresses IP, plages CIDR, hôte:port, ou * pour tous. localhost et 127.0.0.1 n&apos;utilisent jamais le proxy.</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port :</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Hôte :</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Utilisateur :</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Mot de pa&amp;sse :</translation>
    </message>
    <message>
        <source>No proxy &amp;for:</source>
        <translation>Sans proxy &amp;pour :</translation>
    </message>
    <message>
        <source>No proxy is set in the environment (http_proxy, https_proxy): Berth connects directly.</source>
        <translation>Aucun proxy n&apos;est défini dans l&apos;environnement (http_proxy, https_proxy) : Berth se connecte directement.</translation>
    </message>
    <message>
        <source>HTTPS through %1</source>
        <translation>HTTPS par %1</translation>
    </message>
    <message>
        <source>HTTP through %1</source>
        <translation>HTTP par %1</translation>
    </message>
    <message>
        <source>Except for %1</source>
        <translation>Sauf pour %1</translation>
    </message>
    <message>
        <source>Stored in the keychain</source>
        <translation>Enregistré dans le trousseau</translation>
    </message>
    <message>
        <source>Enter the proxy&apos;s host name, or choose another proxy setting.</source>
        <translation>Saisissez le nom d&apos;hôte du proxy, ou choisissez un autre réglage de proxy.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name: enter only the name or address, such as proxy.example.com, and the port beside it.</source>
        <translation>« %1 » n&apos;est pas un nom d&apos;hôte : saisissez seulement le nom ou l&apos;adresse, comme proxy.example.com, et le port à côté.</translation>
    </message>
</context>
<context>
    <name>Berth::PullDialog</name>
    <message>
        <source>&amp;All platforms</source>
        <translation>&amp;Toutes les plateformes</translation>
    </message>
    <message>
        <source>Pull an Image</source>
        <translation>Télécharger une image</translation>
    </message>
    <message>
        <source>e.g. node:20 or localhost:5000/team/app:1.0</source>
        <translation>par ex. node:20 ou localhost:5000/team/app:1.0</translation>
    </message>
    <message>
        <source>Image to pull</source>
        <translation>Image à télécharger</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>This computer&apos;s (%1)</source>
        <translation>Celle de cet ordinateur (%1)</translation>
    </message>
    <message>
        <source>Pull every platform of a multi-platform image.</source>
        <translation>Télécharger toutes les plateformes d&apos;une image multiplateforme.</translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <translation>&amp;Image :</translation>
    </message>
    <message>
        <source>&amp;Platform:</source>
        <translation>&amp;Plateforme :</translation>
    </message>
    <message>
        <source>&amp;Pull</source>
        <translation>Télé&amp;charger</translation>
    </message>
    <message>
        <source>Type an image name, with a tag or a digest if you want a precise one.</source>
        <translation>Tapez un nom d&apos;image, avec un tag ou une empreinte si vous en voulez une précise.</translation>
    </message>
    <message>
        <source>Pulls %1</source>
        <translation>Télécharge %1</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>Ta&amp;g :</translation>
    </message>
    <message>
        <source>Tag to pull</source>
        <translation>Tag à télécharger</translation>
    </message>
    <message>
        <source>Pull %1</source>
        <translation>Télécharger %1</translation>
    </message>
    <message>
        <source>Repository to pull</source>
        <translation>Dépôt de l&apos;image à télécharger</translation>
    </message>
    <message>
        <source>Looking up the tags…</source>
        <translation>Recherche des tags…</translation>
    </message>
    <message>
        <source>%1 has no tags on Docker Hub.</source>
        <translation>%1 n&apos;a aucun tag sur Docker Hub.</translation>
    </message>
    <message>
        <source>Type a tag</source>
        <translation>Tapez un tag</translation>
    </message>
    <message>
        <source>Docker Hub cannot be reached.</source>
        <translation>Docker Hub est injoignable.</translation>
    </message>
    <message>
        <source>Docker Hub asks to wait before more requests.</source>
        <translation>Docker Hub demande d&apos;attendre avant de nouvelles requêtes.</translation>
    </message>
    <message>
        <source>Docker Hub does not know this repository.</source>
        <translation>Docker Hub ne connaît pas ce dépôt.</translation>
    </message>
    <message>
        <source>Docker Hub did not answer as expected.</source>
        <translation>Docker Hub n&apos;a pas répondu comme prévu.</translation>
    </message>
    <message>
        <source>Could not list the tags of %1: %2 Type the tag to pull.</source>
        <translation>Impossible de lister les tags de %1 : %2 Tapez le tag à télécharger.</translation>
    </message>
    <message>
        <source>Docker Engine&apos;s own (%1)</source>
        <translation>Celle de Docker Engine (%1)</translation>
    </message>
    <message>
        <source>Podman&apos;s own (%1)</source>
        <translation>Celle de Podman (%1)</translation>
    </message>
    <message>
        <source>A container engine keeps one platform of an image; use the embedded store to pull every platform.</source>
        <translation>Un moteur de conteneurs ne garde qu&apos;une plateforme d&apos;une image ; utilisez le magasin intégré pour télécharger toutes les plateformes.</translation>
    </message>
    <message>
        <source>Looking up the tags of %1…</source>
        <translation>Recherche des tags de %1…</translation>
    </message>
    <message>
        <source>Choose the tag to pull.</source>
        <translation>Choisissez le tag à télécharger.</translation>
    </message>
    <message>
        <source>%1 counts the index and each platform&apos;s manifest as a pull: pulling every platform counts once per platform, and once more for the index.</source>
        <translation>%1 compte l&apos;index et le manifeste de chaque plateforme comme un téléchargement : tirer toutes les plateformes compte une fois par plateforme, et une fois de plus pour l&apos;index.</translation>
    </message>
    <message numerus="yes">
        <source>%n pull(s) remaining.</source>
        <translation>
            <numerusform>%n téléchargement restant.</numerusform>
            <numerusform>%n téléchargements restants.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 counts the index and each of its %n platform manifest(s) as a pull.</source>
        <translation>
            <numerusform>%1 compte comme un téléchargement l&apos;index et son manifeste de plateforme (%n).</numerusform>
            <numerusform>%1 compte comme un téléchargement l&apos;index et chacun de ses %n manifestes de plateforme.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This pull counts as %1 of your %n remaining pull(s).</source>
        <translation>
            <numerusform>Ce téléchargement compte pour %1 de votre %n téléchargement restant.</numerusform>
            <numerusform>Ce téléchargement compte pour %1 de vos %n téléchargements restants.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This pull counts as %1 pulls, more than the %n pull(s) remaining: the registry would refuse it part way.</source>
        <translation>
            <numerusform>Ce téléchargement compte pour %1 téléchargements, plus que le %n téléchargement restant : le registre le refuserait en cours de route.</numerusform>
            <numerusform>Ce téléchargement compte pour %1 téléchargements, plus que les %n téléchargements restants : le registre le refuserait en cours de route.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This pull counts as %n pull(s).</source>
        <translation>
            <numerusform>Ce téléchargement compte pour %n téléchargement.</numerusform>
            <numerusform>Ce téléchargement compte pour %n téléchargements.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Registry:</source>
        <translation>&amp;Registre :</translation>
    </message>
    <message>
        <source>Registry of the short name</source>
        <translation>Registre du nom court</translation>
    </message>
    <message>
        <source>The name has no registry: registries.conf lists several to search.</source>
        <translation>Le nom n&apos;indique pas de registre : registries.conf en liste plusieurs où chercher.</translation>
    </message>
</context>
<context>
    <name>Berth::PullLimitIndicator</name>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n heure</numerusform>
            <numerusform>%n heures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n seconde</numerusform>
            <numerusform>%n secondes</numerusform>
        </translation>
    </message>
    <message>
        <source>Docker Hub</source>
        <translation>Docker Hub</translation>
    </message>
    <message>
        <source>Pull limit</source>
        <translation>Limite de téléchargements</translation>
    </message>
    <message>
        <source>Pulls left: %1 of %2 per %3</source>
        <translation>Téléchargements restants : %1 sur %2 par %3</translation>
    </message>
    <message>
        <source>Pulls left: %1 of %2</source>
        <translation>Téléchargements restants : %1 sur %2</translation>
    </message>
    <message>
        <source>Pulls left: %1</source>
        <translation>Téléchargements restants : %1</translation>
    </message>
    <message>
        <source>Pull limit: %1</source>
        <translation>Limite de téléchargements : %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 allows %n pull(s) per %2 (%3 seconds).</source>
        <translation>
            <numerusform>%1 autorise %n téléchargement par %2 (%3 secondes).</numerusform>
            <numerusform>%1 autorise %n téléchargements par %2 (%3 secondes).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 allows %n pull(s).</source>
        <translation>
            <numerusform>%1 autorise %n téléchargement.</numerusform>
            <numerusform>%1 autorise %n téléchargements.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pull(s) remaining.</source>
        <translation>
            <numerusform>%n téléchargement restant.</numerusform>
            <numerusform>%n téléchargements restants.</numerusform>
        </translation>
    </message>
    <message>
        <source>Few pulls are left: pulls may be refused until the window moves on.</source>
        <translation>Il reste peu de téléchargements : ils peuvent être refusés jusqu&apos;à ce que la fenêtre avance.</translation>
    </message>
    <message>
        <source>The limit applies to %1.</source>
        <translation>La limite s&apos;applique à %1.</translation>
    </message>
    <message>
        <source>Stated at %1.</source>
        <translation>Annoncée à %1.</translation>
    </message>
    <message>
        <source>Only downloading a manifest counts as a pull; checking for updates does not.</source>
        <translation>Seul le téléchargement d&apos;un manifeste compte ; la recherche de mises à jour, non.</translation>
    </message>
</context>
<context>
    <name>Berth::RegistriesConfModel</name>
    <message>
        <source>%1 (pulls by digest only)</source>
        <translation>%1 (téléchargements par empreinte seulement)</translation>
    </message>
    <message>
        <source>%1 (pulls by tag only)</source>
        <translation>%1 (téléchargements par tag seulement)</translation>
    </message>
    <message>
        <source>, insecure</source>
        <translation>, non sécurisé</translation>
    </message>
    <message>
        <source>short names are looked up there, in this order</source>
        <translation>les noms courts y sont cherchés, dans cet ordre</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>ligne %1 : %2</translation>
    </message>
    <message>
        <source>Mirror</source>
        <translation>Miroir</translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation>Redirigé vers</translation>
    </message>
    <message>
        <source>Insecure</source>
        <translation>Non sécurisé</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Bloqué</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>No registries.conf file exists (in /etc/containers or ~/.config/containers): no mirror, insecure or blocked registry is configured.</source>
        <translation>Aucun fichier registries.conf n&apos;existe (dans /etc/containers ou ~/.config/containers) : aucun miroir ni registre non sécurisé ou bloqué n&apos;est configuré.</translation>
    </message>
    <message numerus="yes">
        <source>Read %1; none configures a mirror, an insecure or blocked registry, or search registries.</source>
        <translation>
            <numerusform>Fichier lu : %1 ; il ne configure ni miroir, ni registre non sécurisé ou bloqué, ni registres de recherche.</numerusform>
            <numerusform>Fichiers lus : %1 ; aucun ne configure de miroir, de registre non sécurisé ou bloqué, ni de registres de recherche.</numerusform>
        </translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>Registry</source>
        <translation>Registre</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
</context>
<context>
    <name>Berth::RegistriesConfView</name>
    <message>
        <source>registries.conf in effect</source>
        <translation>registries.conf en vigueur</translation>
    </message>
    <message>
        <source>With a Docker or Podman backend, the engine pulls with its own mirror configuration.</source>
        <translation>Avec Docker ou Podman, le moteur télécharge avec sa propre configuration de miroirs.</translation>
    </message>
    <message>
        <source>Read-only: edit the files to change it.</source>
        <translation>En lecture seule : modifiez les fichiers pour le changer.</translation>
    </message>
</context>
<context>
    <name>Berth::RegistriesModel</name>
    <message>
        <source>Enter the registry&apos;s address, e.g. registry.example.com or localhost:5000.</source>
        <translation>Saisissez l&apos;adresse du registre, par ex. registry.example.com ou localhost:5000.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a registry address: use a host name with a dot or a port (registry.example.com, myhost:5000) or localhost.</source>
        <translation>&apos;%1&apos; n&apos;est pas une adresse de registre : utilisez un nom d&apos;hôte avec un point ou un port (registry.example.com, monhote:5000) ou localhost.</translation>
    </message>
    <message>
        <source>Docker Hub is always in the list.</source>
        <translation>Docker Hub est toujours dans la liste.</translation>
    </message>
    <message>
        <source>%1 is already in the list.</source>
        <translation>%1 est déjà dans la liste.</translation>
    </message>
    <message>
        <source>Docker Hub</source>
        <translation>Docker Hub</translation>
    </message>
    <message>
        <source>Plain HTTP allowed</source>
        <translation>HTTP non chiffré autorisé</translation>
    </message>
    <message>
        <source>HTTPS only</source>
        <translation>HTTPS uniquement</translation>
    </message>
    <message>
        <source>Docker Hub is only reached over HTTPS.</source>
        <translation>Docker Hub n&apos;est joint qu&apos;en HTTPS.</translation>
    </message>
    <message>
        <source>Allow plain HTTP and unverified certificates for %1. Only for registries on your own machine or network.</source>
        <translation>Autoriser HTTP non chiffré et les certificats non vérifiés pour %1. Uniquement pour les registres de votre propre machine ou réseau.</translation>
    </message>
    <message>
        <source>Registry</source>
        <translation>Registre</translation>
    </message>
    <message>
        <source>Allow plain HTTP</source>
        <translation>Autoriser HTTP non chiffré</translation>
    </message>
</context>
<context>
    <name>Berth::RegistriesPage</name>
    <message>
        <source>Docker Hub</source>
        <translation>Docker Hub</translation>
    </message>
    <message>
        <source>for this session only</source>
        <translation>pour cette session uniquement</translation>
    </message>
    <message>
        <source>kept in the system keychain</source>
        <translation>conservés dans le trousseau du système</translation>
    </message>
    <message>
        <source>docker&apos;s login, from %1</source>
        <translation>identifiants de docker, depuis %1</translation>
    </message>
    <message>
        <source>podman&apos;s login, from %1</source>
        <translation>identifiants de podman, depuis %1</translation>
    </message>
    <message>
        <source>Allow plain &amp;HTTP</source>
        <translation>Autoriser &amp;HTTP non chiffré</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>&amp;Log In…</source>
        <translation>Se &amp;connecter…</translation>
    </message>
    <message>
        <source>Log &amp;Out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <source>Registries</source>
        <translation>Registres</translation>
    </message>
    <message>
        <source>Address of the registry to add</source>
        <translation>Adresse du registre à ajouter</translation>
    </message>
    <message>
        <source>registry.example.com or localhost:5000</source>
        <translation>registry.example.com ou localhost:5000</translation>
    </message>
    <message>
        <source>Allow plain HTTP for the registry to add</source>
        <translation>Autoriser HTTP non chiffré pour le registre à ajouter</translation>
    </message>
    <message>
        <source>Also accepts unverified certificates. Only for registries on your own machine or network; localhost and 127.0.0.1 always may.</source>
        <translation>Accepte aussi les certificats non vérifiés. Uniquement pour les registres de votre propre machine ou réseau ; localhost et 127.0.0.1 sont toujours autorisés.</translation>
    </message>
    <message>
        <source>Add the registry</source>
        <translation>Ajouter le registre</translation>
    </message>
    <message>
        <source>Remove the selected registry</source>
        <translation>Supprimer le registre sélectionné</translation>
    </message>
    <message>
        <source>Your &amp;registries:</source>
        <translation>Vos re&amp;gistres :</translation>
    </message>
    <message>
        <source>Log in to the selected registry</source>
        <translation>Se connecter au registre sélectionné</translation>
    </message>
    <message>
        <source>Log out of the selected registry</source>
        <translation>Se déconnecter du registre sélectionné</translation>
    </message>
    <message>
        <source>Repository to open</source>
        <translation>Dépôt à ouvrir</translation>
    </message>
    <message>
        <source>Open the repository</source>
        <translation>Ouvrir le dépôt</translation>
    </message>
    <message>
        <source>Filter the repositories</source>
        <translation>Filtrer les dépôts</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filtrer</translation>
    </message>
    <message>
        <source>Load the list of repositories again</source>
        <translation>Recharger la liste des dépôts</translation>
    </message>
    <message>
        <source>Loading the repositories</source>
        <translation>Chargement des dépôts</translation>
    </message>
    <message>
        <source>Repositories of the registry</source>
        <translation>Dépôts du registre</translation>
    </message>
    <message>
        <source>Open &amp;repository:</source>
        <translation>Ouvrir le dé&amp;pôt :</translation>
    </message>
    <message>
        <source>Repositories</source>
        <translation>Dépôts</translation>
    </message>
    <message>
        <source>library/node, bitnami/redis</source>
        <translation>library/node, bitnami/redis</translation>
    </message>
    <message>
        <source>team/app</source>
        <translation>team/app</translation>
    </message>
    <message>
        <source>Checking your login…</source>
        <translation>Vérification de vos identifiants…</translation>
    </message>
    <message>
        <source>Your login could not be read.</source>
        <translation>Impossible de lire vos identifiants.</translation>
    </message>
    <message>
        <source>Not logged in to %1: only what it shows everyone is visible.</source>
        <translation>Non connecté à %1 : seul ce qu&apos;il montre à tout le monde est visible.</translation>
    </message>
    <message>
        <source>Logged in to %1 as %2 (%3).</source>
        <translation>Connecté à %1 en tant que %2 (%3).</translation>
    </message>
    <message>
        <source>&amp;Log In as Someone Else…</source>
        <translation>Se &amp;connecter avec un autre compte…</translation>
    </message>
    <message>
        <source>This login belongs to docker or podman: log out with their own logout command.</source>
        <translation>Ces identifiants appartiennent à docker ou podman : déconnectez-vous avec leur propre commande logout.</translation>
    </message>
    <message>
        <source>Logged in to %1.</source>
        <translation>Connecté à %1.</translation>
    </message>
    <message>
        <source>Logged out of %1.</source>
        <translation>Déconnecté de %1.</translation>
    </message>
    <message>
        <source>Enter a repository name, such as team/app.</source>
        <translation>Saisissez un nom de dépôt, comme team/app.</translation>
    </message>
    <message>
        <source>Docker Hub does not list all its repositories: search them on the Explore page, or open one by name.</source>
        <translation>Docker Hub ne liste pas tous ses dépôts : recherchez-les sur la page Explorer, ou ouvrez-en un par son nom.</translation>
    </message>
    <message>
        <source>%1 holds no repository yet.</source>
        <translation>%1 ne contient encore aucun dépôt.</translation>
    </message>
    <message>
        <source>Cannot reach %1 — is it running? Check the address and the network, then Refresh.
%2</source>
        <translation>Impossible de joindre %1 — est-il en fonctionnement ? Vérifiez l&apos;adresse et le réseau, puis cliquez sur Actualiser.
%2</translation>
    </message>
    <message>
        <source>%1
If this registry is on your own network with a self-signed certificate, remove it and add it again with &quot;Allow plain HTTP&quot;.</source>
        <translation>%1
Si ce registre est sur votre propre réseau avec un certificat autosigné, supprimez-le et ajoutez-le à nouveau avec « Autoriser HTTP non chiffré ».</translation>
    </message>
    <message>
        <source>%1 lists its repositories only to users who are logged in. Log in, or open a repository by name.</source>
        <translation>%1 ne liste ses dépôts qu&apos;aux utilisateurs connectés. Connectez-vous, ou ouvrez un dépôt par son nom.</translation>
    </message>
    <message>
        <source>%1 does not list its repositories. Open one by name instead.</source>
        <translation>%1 ne liste pas ses dépôts. Ouvrez-en plutôt un par son nom.</translation>
    </message>
</context>
<context>
    <name>Berth::RegistryClient</name>
    <message>
        <source>the registry API</source>
        <translation>l&apos;API du registre</translation>
    </message>
    <message>
        <source>%1 refused the user name or password. Check them, or use an access token if the account requires one.</source>
        <translation>%1 a refusé le nom d&apos;utilisateur ou le mot de passe. Vérifiez-les, ou utilisez un jeton d&apos;accès si le compte l&apos;exige.</translation>
    </message>
    <message>
        <source>%1 is a Docker schema 1 manifest, which is deprecated and not supported.</source>
        <translation>%1 est un manifeste Docker schéma 1, obsolète et non pris en charge.</translation>
    </message>
    <message>
        <source>Only sha256 digests can be verified; %1 cannot.</source>
        <translation>Seules les empreintes sha256 peuvent être vérifiées ; %1 ne peut pas l&apos;être.</translation>
    </message>
    <message>
        <source>an upload to %1</source>
        <translation>un envoi vers %1</translation>
    </message>
    <message>
        <source>%1 started an upload without saying where to send it.</source>
        <translation>%1 a démarré un envoi sans indiquer où envoyer les données.</translation>
    </message>
    <message>
        <source>Could not open the data to upload.</source>
        <translation>Impossible d&apos;ouvrir les données à envoyer.</translation>
    </message>
    <message>
        <source>The data to upload ended after %1 of %2 bytes.</source>
        <translation>Les données à envoyer se sont interrompues après %1 octets sur %2.</translation>
    </message>
    <message>
        <source>the tags of %1</source>
        <translation>les tags de %1</translation>
    </message>
    <message>
        <source>the catalog of %1</source>
        <translation>le catalogue de %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 Berth tried the upload %n time(s).</source>
        <translation>
            <numerusform>%1 Berth a tenté l’envoi %n fois.</numerusform>
            <numerusform>%1 Berth a tenté l’envoi %n fois.</numerusform>
        </translation>
    </message>
    <message>
        <source>Mirror %1 was not reachable a moment ago; skipped</source>
        <translation>Le miroir %1 était injoignable il y a un instant ; ignoré</translation>
    </message>
    <message>
        <source>Mirror %1: %2</source>
        <translation>Miroir %1 : %2</translation>
    </message>
    <message>
        <source>pulled from mirror %1</source>
        <translation>téléchargé depuis le miroir %1</translation>
    </message>
    <message>
        <source>pulled from %1</source>
        <translation>téléchargé depuis %1</translation>
    </message>
    <message>
        <source>Before it: %1.</source>
        <translation>Avant lui : %1.</translation>
    </message>
    <message>
        <source>Mirror %1 is not reachable (%2)</source>
        <translation>Le miroir %1 est injoignable (%2)</translation>
    </message>
    <message>
        <source>Mirror %1 could not serve %2 (%3)</source>
        <translation>Le miroir %1 n&apos;a pas pu fournir %2 (%3)</translation>
    </message>
    <message>
        <source>an unused upload to %1</source>
        <translation>un envoi inutilisé vers %1</translation>
    </message>
</context>
<context>
    <name>Berth::RegistryTransport</name>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>%1 asked for a token from an invalid address: &apos;%2&apos;.</source>
        <translation>%1 a demandé un jeton auprès d&apos;une adresse non valide : &apos;%2&apos;.</translation>
    </message>
    <message>
        <source>%1 asked to send your credentials over plain HTTP to %2; Berth refused. Mark the registry insecure in the settings if you trust this network.</source>
        <translation>%1 a demandé d&apos;envoyer vos identifiants en HTTP non chiffré à %2 ; Berth a refusé. Marquez le registre comme non sécurisé dans les paramètres si vous faites confiance à ce réseau.</translation>
    </message>
    <message>
        <source>No network.</source>
        <translation>Pas de réseau.</translation>
    </message>
    <message>
        <source>%1 refused the user name or password. Check them, or use an access token if the account requires one.</source>
        <translation>%1 a refusé le nom d&apos;utilisateur ou le mot de passe. Vérifiez-les, ou utilisez un jeton d&apos;accès si le compte l&apos;exige.</translation>
    </message>
    <message>
        <source>%1 refused anonymous access; log in first.</source>
        <translation>%1 a refusé l&apos;accès anonyme ; connectez-vous d&apos;abord.</translation>
    </message>
    <message>
        <source>a token</source>
        <translation>un jeton</translation>
    </message>
    <message>
        <source>The token service of %1 answered without a token.</source>
        <translation>Le service de jetons de %1 a répondu sans jeton.</translation>
    </message>
    <message>
        <source>Could not open the data to upload.</source>
        <translation>Impossible d&apos;ouvrir les données à envoyer.</translation>
    </message>
    <message>
        <source>%1 answered the request for %2 with a redirect Berth cannot follow.</source>
        <translation>%1 a répondu à la requête portant sur %2 par une redirection que Berth ne peut pas suivre.</translation>
    </message>
    <message>
        <source>%1 redirected %2 from HTTPS to plain HTTP; Berth refused.</source>
        <translation>%1 a redirigé la requête portant sur %2 de HTTPS vers HTTP non chiffré ; Berth a refusé.</translation>
    </message>
    <message numerus="yes">
        <source>%1 is rate limiting requests; try again in %n second(s).</source>
        <translation>
            <numerusform>%1 limite le nombre de requêtes ; réessayez dans %n seconde.</numerusform>
            <numerusform>%1 limite le nombre de requêtes ; réessayez dans %n secondes.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 refused access to %2 with the stored login: the repository does not exist or the account may not use it.</source>
        <translation>%1 a refusé la requête portant sur %2 avec les identifiants enregistrés : le dépôt n&apos;existe pas ou ce compte n&apos;y a pas accès.</translation>
    </message>
    <message>
        <source>Access to %1 was refused: the repository does not exist or needs a login (berthctl login %2).</source>
        <translation>Accès refusé pour %1 : le dépôt n&apos;existe pas ou exige une connexion (berthctl login %2).</translation>
    </message>
    <message>
        <source>%1 sent Berth to &apos;%2&apos; for %3, which is not HTTPS; Berth refused.</source>
        <translation>%1 a envoyé Berth vers &apos;%2&apos; pour %3, une adresse qui n&apos;est pas en HTTPS ; Berth a refusé.</translation>
    </message>
    <message>
        <source>The token service of %1 sent an answer larger than %2 bytes.</source>
        <translation>Le service de jetons de %1 a envoyé une réponse de plus de %2 octets.</translation>
    </message>
    <message>
        <source>The token service of %1 sent a token with characters a token may not contain; Berth did not use it. The registry&apos;s token service is misconfigured or not to be trusted.</source>
        <translation>Le service de jetons de %1 a envoyé un jeton contenant des caractères interdits dans un jeton ; Berth ne l&apos;a pas utilisé. Le service de jetons du registre est mal configuré ou n&apos;est pas digne de confiance.</translation>
    </message>
    <message numerus="yes">
        <source>%1 did not finish answering the request for %2 within %n second(s); Berth gave up. The registry or the network is too slow: try again later.</source>
        <translation>
            <numerusform>%1 n&apos;a pas fini de répondre à la requête pour %2 en %n seconde ; Berth a abandonné. Le registre ou le réseau est trop lent : réessayez plus tard.</numerusform>
            <numerusform>%1 n&apos;a pas fini de répondre à la requête pour %2 en %n secondes ; Berth a abandonné. Le registre ou le réseau est trop lent : réessayez plus tard.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The transfer of %2 with %1 moved less than %3 bytes a second for %n second(s); Berth gave up. The registry or the network is too slow: try again later.</source>
        <translation>
            <numerusform>Le transfert de %2 avec %1 a fait moins de %3 octets par seconde pendant %n seconde ; Berth a abandonné. Le registre ou le réseau est trop lent : réessayez plus tard.</numerusform>
            <numerusform>Le transfert de %2 avec %1 a fait moins de %3 octets par seconde pendant %n secondes ; Berth a abandonné. Le registre ou le réseau est trop lent : réessayez plus tard.</numerusform>
        </translation>
    </message>
    <message>
        <source>Berth did not send the request for %1 to %2: its %3 header would contain a line break, which could smuggle other headers in. The registry or its token service sent a value Berth cannot use.</source>
        <translation>Berth n&apos;a pas envoyé la requête pour %1 à %2 : son en-tête %3 contiendrait un saut de ligne, qui pourrait y glisser d&apos;autres en-têtes. Le registre ou son service de jetons a envoyé une valeur que Berth ne peut pas utiliser.</translation>
    </message>
</context>
<context>
    <name>Berth::RemoveTagDialog</name>
    <message>
        <source>Remove a Tag from %1</source>
        <translation>Retirer un tag de %1</translation>
    </message>
    <message>
        <source>Tag to remove</source>
        <translation>Tag à retirer</translation>
    </message>
    <message>
        <source>&amp;Remove Tag</source>
        <translation>&amp;Retirer le tag</translation>
    </message>
    <message>
        <source>Remove the chosen tag</source>
        <translation>Retirer le tag choisi</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>&amp;Tag :</translation>
    </message>
    <message>
        <source>%1 is the image&apos;s only tag: the image stays in %2, reachable by its digest only.</source>
        <translation>%1 est le seul tag de l&apos;image : l&apos;image reste dans %2, accessible seulement par son empreinte.</translation>
    </message>
    <message numerus="yes">
        <source>Only %1 goes. The image stays, and its other %n tag(s) keep working: %2.</source>
        <translation>
            <numerusform>Seul %1 part. L&apos;image reste, et son autre tag (%n) continue de fonctionner : %2.</numerusform>
            <numerusform>Seul %1 part. L&apos;image reste, et ses %n autres tags continuent de fonctionner : %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>The tag was not removed.</source>
        <translation>Le tag n&apos;a pas été retiré.</translation>
    </message>
    <message>
        <source>The removal was stopped; look at the tags again to see whether it happened.</source>
        <translation>Le retrait a été arrêté ; regardez à nouveau les tags pour savoir s&apos;il a eu lieu.</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>Berth::RepositoryPage</name>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>&amp;Pull</source>
        <translation>&amp;Télécharger</translation>
    </message>
    <message>
        <source>Pull p&amp;latform…</source>
        <translation>Télécharger une p&amp;lateforme…</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>Co&amp;mparer</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Dépôt</translation>
    </message>
    <message>
        <source>Repository name</source>
        <translation>Nom du dépôt</translation>
    </message>
    <message>
        <source>Repository summary</source>
        <translation>Résumé du dépôt</translation>
    </message>
    <message>
        <source>Pull command</source>
        <translation>Commande pull</translation>
    </message>
    <message>
        <source>Copy the pull command</source>
        <translation>Copier la commande pull</translation>
    </message>
    <message>
        <source>Copy the pull command to the clipboard</source>
        <translation>Copier la commande pull dans le presse-papiers</translation>
    </message>
    <message>
        <source>Repository error</source>
        <translation>Erreur de dépôt</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>Pull the selected tag</source>
        <translation>Télécharger le tag sélectionné</translation>
    </message>
    <message>
        <source>Pull one platform of the selected tag</source>
        <translation>Télécharger une plateforme du tag sélectionné</translation>
    </message>
    <message>
        <source>Repository sections</source>
        <translation>Sections du dépôt</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>&amp;Aperçu</translation>
    </message>
    <message>
        <source>&amp;Tags</source>
        <translation>Ta&amp;gs</translation>
    </message>
    <message>
        <source>Enter a name such as node, jean/mon-app or localhost:5000/team/app.</source>
        <translation>Saisissez un nom comme node, jean/mon-app ou localhost:5000/team/app.</translation>
    </message>
    <message>
        <source>On %1</source>
        <translation>Sur %1</translation>
    </message>
    <message>
        <source>%1 is on **%2**, a registry that publishes no description. Its images are under *Tags*.</source>
        <translation>%1 se trouve sur **%2**, un registre qui ne publie aucune description. Ses images sont dans l&apos;onglet *Tags*.</translation>
    </message>
    <message>
        <source>On Docker Hub</source>
        <translation>Sur Docker Hub</translation>
    </message>
    <message>
        <source>Loading the overview…</source>
        <translation>Chargement de l&apos;aperçu…</translation>
    </message>
    <message>
        <source>★ %1</source>
        <comment>star count</comment>
        <translation>★ %1</translation>
    </message>
    <message>
        <source>%1 pulls</source>
        <translation>%1 téléchargements</translation>
    </message>
    <message>
        <source>updated %1</source>
        <translation>mis à jour %1</translation>
    </message>
    <message>
        <source>This repository has no overview.</source>
        <translation>Ce dépôt n&apos;a pas d&apos;aperçu.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Official image</source>
        <translation>Image officielle</translation>
    </message>
    <message>
        <source>Compare the selected tags side by side</source>
        <translation>Comparer côte à côte les tags sélectionnés</translation>
    </message>
    <message>
        <source>Compare the two selected tags (Ctrl+click), or the selected tag with another, side by side</source>
        <translation>Comparer côte à côte les deux tags sélectionnés (Ctrl+clic), ou le tag sélectionné avec un autre</translation>
    </message>
    <message>
        <source>A Docker Official Image, curated by Docker</source>
        <translation>Une image officielle Docker (Docker Official Image), sélectionnée par Docker</translation>
    </message>
    <message>
        <source>Tag details</source>
        <translation>Détails du tag</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Détails</translation>
    </message>
    <message>
        <source>Compa&amp;rison</source>
        <translation>Compa&amp;raison</translation>
    </message>
    <message>
        <source>&amp;Files</source>
        <translation>&amp;Fichiers</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>Berth::SearchResultDelegate</name>
    <message>
        <source>★ %1</source>
        <comment>star count</comment>
        <translation>★ %1</translation>
    </message>
    <message>
        <source>↓ %1</source>
        <comment>pull count</comment>
        <translation>↓ %1</translation>
    </message>
</context>
<context>
    <name>Berth::SearchResultsModel</name>
    <message>
        <source>Official</source>
        <translation>Officielle</translation>
    </message>
    <message>
        <source>Verified publisher</source>
        <translation>Éditeur vérifié</translation>
    </message>
    <message>
        <source>Open source</source>
        <translation>Open source</translation>
    </message>
    <message>
        <source>Docker Hub is not available.</source>
        <translation>Docker Hub n&apos;est pas disponible.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Publisher</source>
        <translation>Éditeur</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Badge</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Stars</source>
        <translation>Étoiles</translation>
    </message>
    <message>
        <source>Pulls</source>
        <translation>Téléchargements</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Mise à jour</translation>
    </message>
</context>
<context>
    <name>Berth::SettingsDialog</name>
    <message>
        <source>Allow plain &amp;HTTP</source>
        <translation>Autoriser HTTP non &amp;chiffré</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>Supp&amp;rimer</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>&amp;Shared computer: keep logins for this session only</source>
        <translation>Ordinateur parta&amp;gé : conserver les identifiants pour cette session uniquement</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Where images are stored</source>
        <translation>Où les images sont stockées</translation>
    </message>
    <message>
        <source>Automatic uses Docker or Podman when one answers, else Berth&apos;s own embedded store, which needs no engine.</source>
        <translation>Automatique utilise Docker ou Podman si l&apos;un d&apos;eux répond, sinon le magasin intégré propre à Berth, qui ne nécessite aucun moteur.</translation>
    </message>
    <message>
        <source>BERTH_BACKEND is set to &quot;%1&quot; and wins over this setting.</source>
        <translation>BERTH_BACKEND vaut « %1 » et l&apos;emporte sur ce paramètre.</translation>
    </message>
    <message>
        <source>Embedded store location</source>
        <translation>Emplacement du magasin intégré</translation>
    </message>
    <message>
        <source>Choose the embedded store&apos;s folder</source>
        <translation>Choisir le dossier du magasin intégré</translation>
    </message>
    <message>
        <source>Folder of the Embedded Store</source>
        <translation>Dossier du magasin intégré</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>&amp;Store images in:</source>
        <translation>S&amp;tocker les images dans :</translation>
    </message>
    <message>
        <source>Embedded store &amp;location:</source>
        <translation>&amp;Emplacement du magasin intégré :</translation>
    </message>
    <message>
        <source>Registries</source>
        <translation>Registres</translation>
    </message>
    <message>
        <source>Registry to add</source>
        <translation>Registre à ajouter</translation>
    </message>
    <message>
        <source>registry.example.com or localhost:5000</source>
        <translation>registry.example.com ou localhost:5000</translation>
    </message>
    <message>
        <source>Only for registries on your own machine or network: traffic is not encrypted.</source>
        <translation>Uniquement pour les registres de votre propre machine ou réseau : le trafic n&apos;est pas chiffré.</translation>
    </message>
    <message>
        <source>Add registry</source>
        <translation>Ajouter le registre</translation>
    </message>
    <message>
        <source>Remove the selected registry</source>
        <translation>Supprimer le registre sélectionné</translation>
    </message>
    <message>
        <source>Docker Hub address</source>
        <translation>Adresse de Docker Hub</translation>
    </message>
    <message>
        <source>Logins stay in memory and are forgotten when Berth quits; nothing is written to the keychain.</source>
        <translation>Les identifiants restent en mémoire et sont oubliés à la fermeture de Berth ; rien n&apos;est écrit dans le trousseau.</translation>
    </message>
    <message>
        <source>Docker Hub and logins</source>
        <translation>Docker Hub et identifiants</translation>
    </message>
    <message>
        <source>Docker &amp;Hub address:</source>
        <translation>Adresse de Docker &amp;Hub :</translation>
    </message>
    <message>
        <source>The Docker Hub address must be an http or https URL, such as %1.</source>
        <translation>L&apos;adresse de Docker Hub doit être une URL http ou https, comme %1.</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
    <message>
        <source>System follows your desktop&apos;s style and colours; Light and Dark use Berth&apos;s own, whatever the desktop.</source>
        <translation>Système suit le style et les couleurs de votre bureau ; Clair et Sombre utilisent ceux de Berth, quel que soit le bureau.</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>Thè&amp;me :</translation>
    </message>
    <message>
        <source>Check for image &amp;updates in the background</source>
        <translation>Rechercher les mises à jour des images en &amp;arrière-plan</translation>
    </message>
    <message>
        <source>At most once an hour, ask each image&apos;s registry whether its tag points at a newer image. Only HEAD requests are sent, which Docker Hub does not count as pulls.</source>
        <translation>Au plus une fois par heure, demander au registre de chaque image si son tag pointe vers une image plus récente. Seules des requêtes HEAD sont envoyées, que Docker Hub ne compte pas comme des téléchargements.</translation>
    </message>
    <message>
        <source>From registries.conf</source>
        <translation>D&apos;après registries.conf</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>&amp;Général</translation>
    </message>
    <message>
        <source>&amp;Registries</source>
        <translation>&amp;Registres</translation>
    </message>
    <message>
        <source>&amp;Network</source>
        <translation>Rése&amp;au</translation>
    </message>
    <message>
        <source>The proxy&apos;s password could not be saved: %1</source>
        <translation>Le mot de passe du proxy n&apos;a pas pu être enregistré : %1</translation>
    </message>
</context>
<context>
    <name>Berth::ShareAccountPage</name>
    <message>
        <source>Check &amp;Again</source>
        <translation>&amp;Vérifier à nouveau</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <source>Who pushes: most registries let only logged-in users push.</source>
        <translation>Qui publie : la plupart des registres n&apos;autorisent que les utilisateurs connectés à publier.</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Identifiants</translation>
    </message>
    <message>
        <source>Log in to the registry</source>
        <translation>Se connecter au registre</translation>
    </message>
    <message>
        <source>Check the registry again</source>
        <translation>Vérifier à nouveau le registre</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>Vérification de %1…</translation>
    </message>
    <message>
        <source>for this session only</source>
        <translation>pour cette session uniquement</translation>
    </message>
    <message>
        <source>kept in the system keychain</source>
        <translation>conservés dans le trousseau du système</translation>
    </message>
    <message>
        <source>found in %1</source>
        <translation>trouvés dans %1</translation>
    </message>
    <message>
        <source>Cannot reach %1 — is it running? Check the address on the previous page, then Check Again.
%2</source>
        <translation>Impossible de joindre %1 — est-il en fonctionnement ? Vérifiez l&apos;adresse sur la page précédente, puis cliquez sur Vérifier à nouveau.
%2</translation>
    </message>
    <message>
        <source>You will push to %1 as %2 (%3).</source>
        <translation>Vous publierez sur %1 en tant que %2 (%3).</translation>
    </message>
    <message>
        <source>Not logged in to %1.</source>
        <translation>Non connecté à %1.</translation>
    </message>
    <message>
        <source>%1 asks for a login to push. Log in to continue.</source>
        <translation>%1 exige une connexion pour publier. Connectez-vous pour continuer.</translation>
    </message>
    <message>
        <source>%1 accepts pushes without a login; you may still log in.</source>
        <translation>%1 accepte les publications sans connexion ; vous pouvez tout de même vous connecter.</translation>
    </message>
    <message>
        <source>Log In as &amp;Someone Else…</source>
        <translation>Se connecter avec un &amp;autre compte…</translation>
    </message>
    <message>
        <source>&amp;Log In</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>Log in as someone else</source>
        <translation>Se connecter avec un autre compte</translation>
    </message>
</context>
<context>
    <name>Berth::ShareCombinePage</name>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>One Multi-Platform Image</source>
        <translation>Une image multi-plateforme</translation>
    </message>
    <message>
        <source>Each image below is already in a registry; the platform of each comes from its configuration. They are listed together under one tag.</source>
        <translation>Chaque image ci-dessous est déjà dans un registre ; la plateforme de chacune vient de sa configuration. Elles sont listées ensemble sous un seul tag.</translation>
    </message>
    <message>
        <source>Images to combine</source>
        <translation>Images à réunir</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>Image reference to add</source>
        <translation>Référence d&apos;image à ajouter</translation>
    </message>
    <message>
        <source>e.g. registry.example.com/app:arm64</source>
        <translation>p. ex. registry.example.com/app:arm64</translation>
    </message>
    <message>
        <source>Multi-platform image name</source>
        <translation>Nom de l&apos;image multi-plateforme</translation>
    </message>
    <message>
        <source>e.g. registry.example.com/app:1.0</source>
        <translation>p. ex. registry.example.com/app:1.0</translation>
    </message>
    <message>
        <source>Images, one per platform (an index adds all of its):</source>
        <translation>Images, une par plateforme (un index ajoute toutes les siennes) :</translation>
    </message>
    <message>
        <source>&amp;Push the combined image as:</source>
        <translation>&amp;Publier l&apos;image réunie sous :</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Lecture…</translation>
    </message>
    <message>
        <source>Cannot be read</source>
        <translation>Illisible</translation>
    </message>
    <message>
        <source>Reading the platforms of the images…</source>
        <translation>Lecture des plateformes des images…</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>Add the images to combine, one per platform.</source>
        <translation>Ajoutez les images à réunir, une par plateforme.</translation>
    </message>
    <message>
        <source>Enter the name to push the combined image as, with its tag.</source>
        <translation>Saisissez le nom, avec son tag, sous lequel publier l&apos;image réunie.</translation>
    </message>
    <message numerus="yes">
        <source>%n platform(s) in one image.</source>
        <translation>
            <numerusform>%n plateforme dans une image.</numerusform>
            <numerusform>%n plateformes dans une image.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::ShareDestinationPage</name>
    <message>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>Where the image goes: the registry, and the name it will have there.</source>
        <translation>Où va l&apos;image : le registre, et le nom qu&apos;elle y portera.</translation>
    </message>
    <message>
        <source>Registry</source>
        <translation>Registre</translation>
    </message>
    <message>
        <source>Docker Hub, one of your registries, or a registry&apos;s address such as ghcr.io or localhost:5000.</source>
        <translation>Docker Hub, l&apos;un de vos registres, ou l&apos;adresse d&apos;un registre comme ghcr.io ou localhost:5000.</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>Espace de noms</translation>
    </message>
    <message>
        <source>your user name or organisation</source>
        <translation>votre nom d&apos;utilisateur ou organisation</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Dépôt</translation>
    </message>
    <message>
        <source>mon-app</source>
        <translation>mon-app</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Name in the registry</source>
        <translation>Nom dans le registre</translation>
    </message>
    <message>
        <source>&amp;Registry:</source>
        <translation>&amp;Registre :</translation>
    </message>
    <message>
        <source>&amp;Namespace:</source>
        <translation>&amp;Espace de noms :</translation>
    </message>
    <message>
        <source>Re&amp;pository:</source>
        <translation>&amp;Dépôt :</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>&amp;Tag :</translation>
    </message>
    <message>
        <source>Will be pushed as:</source>
        <translation>Sera publiée sous le nom :</translation>
    </message>
    <message>
        <source>each image&apos;s own name</source>
        <translation>le nom de chaque image</translation>
    </message>
    <message>
        <source>each image&apos;s own tag</source>
        <translation>le tag de chaque image</translation>
    </message>
    <message>
        <source>Choose an image on the first page.</source>
        <translation>Choisissez une image sur la première page.</translation>
    </message>
    <message>
        <source>Docker Hub needs a namespace: your Docker ID or an organisation&apos;s name, as in jean/mon-app.</source>
        <translation>Docker Hub exige un espace de noms : votre Docker ID ou le nom d&apos;une organisation, comme dans jean/mon-app.</translation>
    </message>
    <message>
        <source>%1 has no name to push under: share it on its own to give it one.</source>
        <translation>%1 n&apos;a pas de nom sous lequel être publiée : partagez-la seule pour lui en donner un.</translation>
    </message>
    <message>
        <source>Enter the repository&apos;s name, such as mon-app.</source>
        <translation>Saisissez le nom du dépôt, comme mon-app.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; would be read as %2: check the namespace and repository.</source>
        <translation>&apos;%1&apos; serait lu comme %2 : vérifiez l&apos;espace de noms et le dépôt.</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
</context>
<context>
    <name>Berth::ShareFilePage</name>
    <message>
        <source>&amp;Browse…</source>
        <translation>Pa&amp;rcourir…</translation>
    </message>
    <message>
        <source>Archive File</source>
        <translation>Fichier d&apos;archive</translation>
    </message>
    <message>
        <source>Where to save the images, and whether to compress them.</source>
        <translation>Où enregistrer les images, et s&apos;il faut les compresser.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Archive file</source>
        <translation>Fichier d&apos;archive</translation>
    </message>
    <message>
        <source>Choose the archive file</source>
        <translation>Choisir le fichier d&apos;archive</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Compression</translation>
    </message>
    <message>
        <source>None (.tar)</source>
        <translation>Aucune (.tar)</translation>
    </message>
    <message>
        <source>gzip (.tar.gz): read everywhere</source>
        <translation>gzip (.tar.gz) : lu partout</translation>
    </message>
    <message>
        <source>zstd (.tar.zst): faster, smaller</source>
        <translation>zstd (.tar.zst) : plus rapide, plus petit</translation>
    </message>
    <message>
        <source>docker load and podman load read all three.</source>
        <translation>docker load et podman load lisent les trois.</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Fichier :</translation>
    </message>
    <message>
        <source>&amp;Compression:</source>
        <translation>&amp;Compression :</translation>
    </message>
    <message>
        <source>%1 exists and will be replaced.</source>
        <translation>%1 existe et sera remplacé.</translation>
    </message>
    <message>
        <source>Choose where to save the archive.</source>
        <translation>Choisissez où enregistrer l&apos;archive.</translation>
    </message>
    <message>
        <source>%1 is a folder: add a file name.</source>
        <translation>%1 est un dossier : ajoutez un nom de fichier.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Le dossier %1 n&apos;existe pas.</translation>
    </message>
    <message>
        <source>Berth saves .tar, .tar.gz and .tar.zst archives: change the file&apos;s ending.</source>
        <translation>Berth enregistre des archives .tar, .tar.gz et .tar.zst : changez l&apos;extension du fichier.</translation>
    </message>
    <message>
        <source>Save the Images</source>
        <translation>Enregistrer les images</translation>
    </message>
    <message>
        <source>Image archives (*.tar *.tar.gz *.tar.zst)</source>
        <translation>Archives d&apos;images (*.tar *.tar.gz *.tar.zst)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>Berth::ShareImagesPage</name>
    <message>
        <source>&amp;Push them to a registry</source>
        <translation>Les pu&amp;blier sur un registre</translation>
    </message>
    <message>
        <source>&amp;Save them to an archive file</source>
        <translation>Les &amp;enregistrer dans un fichier d&apos;archive</translation>
    </message>
    <message>
        <source>Images to Share</source>
        <translation>Images à partager</translation>
    </message>
    <message>
        <source>Choose the images, then how to share them.</source>
        <translation>Choisissez les images, puis comment les partager.</translation>
    </message>
    <message>
        <source>Local images</source>
        <translation>Images locales</translation>
    </message>
    <message>
        <source>Push to a registry</source>
        <translation>Publier sur un registre</translation>
    </message>
    <message>
        <source>Upload to Docker Hub or another registry, where others can pull them.</source>
        <translation>Envoyer sur Docker Hub ou un autre registre, d&apos;où d&apos;autres pourront les télécharger.</translation>
    </message>
    <message>
        <source>Save to an archive file</source>
        <translation>Enregistrer dans un fichier d&apos;archive</translation>
    </message>
    <message>
        <source>One .tar file holding the images, which docker load, podman load and Berth read.</source>
        <translation>Un fichier .tar contenant les images, que docker load, podman load et Berth savent lire.</translation>
    </message>
    <message>
        <source>&amp;Images:</source>
        <translation>&amp;Images :</translation>
    </message>
    <message>
        <source>No image store is open: choose Docker, Podman or the embedded store in Settings.</source>
        <translation>Aucun magasin d&apos;images n&apos;est ouvert : choisissez Docker, Podman ou le magasin intégré dans les Paramètres.</translation>
    </message>
    <message>
        <source>Listing the images…</source>
        <translation>Liste des images en cours…</translation>
    </message>
    <message>
        <source>&lt;untagged&gt; %1</source>
        <translation>&lt;sans tag&gt; %1</translation>
    </message>
    <message>
        <source>There is no image to share yet: pull or load one first.</source>
        <translation>Il n&apos;y a encore aucune image à partager : téléchargez-en ou chargez-en une d&apos;abord.</translation>
    </message>
    <message>
        <source>&amp;Combine these images into one multi-platform image</source>
        <translation>&amp;Réunir ces images en une image multi-plateforme</translation>
    </message>
    <message>
        <source>Combine into one multi-platform image</source>
        <translation>Réunir en une image multi-plateforme</translation>
    </message>
    <message>
        <source>Images already pushed for different platforms (or any registry references you add next) listed under one tag, which pulls the right one on each machine.</source>
        <translation>Des images déjà publiées pour différentes plateformes (ou les références de registre que vous ajouterez ensuite) listées sous un seul tag, qui tire la bonne sur chaque machine.</translation>
    </message>
</context>
<context>
    <name>Berth::ShareProgressPage</name>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <source>Show in &amp;Folder</source>
        <translation>Afficher dans le &amp;dossier</translation>
    </message>
    <message>
        <source>Sharing</source>
        <translation>Partage</translation>
    </message>
    <message>
        <source>The transfer also shows in the Transfers panel; Esc stops it.</source>
        <translation>Le transfert apparaît aussi dans le panneau Transferts ; Échap l&apos;arrête.</translation>
    </message>
    <message>
        <source>Try the transfer again</source>
        <translation>Réessayer le transfert</translation>
    </message>
    <message>
        <source>Show the archive in its folder</source>
        <translation>Afficher l&apos;archive dans son dossier</translation>
    </message>
    <message>
        <source>The save also shows in the Transfers panel; Esc stops it.</source>
        <translation>L&apos;enregistrement apparaît aussi dans le panneau Transferts ; Échap l&apos;arrête.</translation>
    </message>
    <message>
        <source>Saving %1 to %2</source>
        <translation>Enregistrement de %1 dans %2</translation>
    </message>
    <message numerus="yes">
        <source>Saving %n images to %1</source>
        <translation>
            <numerusform>Enregistrement de %n image dans %1</numerusform>
            <numerusform>Enregistrement de %n images dans %1</numerusform>
        </translation>
    </message>
    <message>
        <source>The push also shows in the Transfers panel; Esc stops it.</source>
        <translation>La publication apparaît aussi dans le panneau Transferts ; Échap l&apos;arrête.</translation>
    </message>
    <message>
        <source>Pushing %1 to %2</source>
        <translation>Publication de %1 sur %2</translation>
    </message>
    <message numerus="yes">
        <source>Pushing %n images to %1</source>
        <translation>
            <numerusform>Publication de %n image sur %1</numerusform>
            <numerusform>Publication de %n images sur %1</numerusform>
        </translation>
    </message>
    <message>
        <source>docker load, podman load and Berth can load it.</source>
        <translation>docker load, podman load et Berth peuvent la charger.</translation>
    </message>
    <message>
        <source>Pushed %1.</source>
        <translation>Publication terminée : %1.</translation>
    </message>
    <message>
        <source>The save was cancelled; no file was written. Retry to start it again.</source>
        <translation>L&apos;enregistrement a été annulé ; aucun fichier n&apos;a été écrit. Cliquez sur Réessayer pour le relancer.</translation>
    </message>
    <message>
        <source>The push was cancelled. Retry to start it again; layers already sent are not sent twice.</source>
        <translation>La publication a été annulée. Cliquez sur Réessayer pour la relancer ; les couches déjà envoyées ne le seront pas une seconde fois.</translation>
    </message>
    <message>
        <source>Go Back to the account page and log in with an account that may push to this repository on %1, then push again.</source>
        <translation>Revenez à la page Compte (Précédent) et connectez-vous avec un compte autorisé à publier dans ce dépôt sur %1, puis publiez à nouveau.</translation>
    </message>
    <message>
        <source>Check that %1 is running and reachable, then Retry.</source>
        <translation>Vérifiez que %1 fonctionne et est joignable, puis cliquez sur Réessayer.</translation>
    </message>
    <message>
        <source>Retry in a moment.</source>
        <translation>Réessayez dans un moment.</translation>
    </message>
    <message>
        <source>Go Back to choose another file or folder, or free some space, then Retry.</source>
        <translation>Revenez en arrière (Précédent) pour choisir un autre fichier ou dossier, ou libérez de l&apos;espace, puis cliquez sur Réessayer.</translation>
    </message>
    <message>
        <source>If %1 is on your own network, add it under Registries with &quot;Allow plain HTTP&quot;, then Retry.</source>
        <translation>Si %1 est sur votre propre réseau, ajoutez-le dans Registres avec « Autoriser HTTP non chiffré », puis cliquez sur Réessayer.</translation>
    </message>
    <message>
        <source>Retry, or go Back to change your choices.</source>
        <translation>Réessayez, ou revenez en arrière (Précédent) pour modifier vos choix.</translation>
    </message>
    <message>
        <source>The archive is ready: %1</source>
        <translation>L&apos;archive est prête : %1</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Pull command</source>
        <translation>Commande pull</translation>
    </message>
    <message>
        <source>Copy the pull command</source>
        <translation>Copier la commande pull</translation>
    </message>
    <message>
        <source>Copies the command to the clipboard, to paste in a terminal or a message.</source>
        <translation>Copie la commande dans le presse-papiers, pour la coller dans un terminal ou un message.</translation>
    </message>
    <message>
        <source>Anyone allowed to read it can pull it with:</source>
        <translation>Toute personne autorisée à la lire peut la télécharger avec :</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Enregistrement…</translation>
    </message>
    <message>
        <source>Pushing…</source>
        <translation>Publication…</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Enregistrement terminé</translation>
    </message>
    <message>
        <source>Pushed</source>
        <translation>Publication terminée</translation>
    </message>
    <message>
        <source>The archive is ready.</source>
        <translation>L&apos;archive est prête.</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) pushed to %1.</source>
        <translation>
            <numerusform>%n image publiée sur %1.</numerusform>
            <numerusform>%n images publiées sur %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save Failed</source>
        <translation>Échec de l&apos;enregistrement</translation>
    </message>
    <message>
        <source>Push Failed</source>
        <translation>Échec de la publication</translation>
    </message>
    <message>
        <source>What went wrong and what to do next are below.</source>
        <translation>Ce qui n&apos;a pas fonctionné et la marche à suivre sont indiqués ci-dessous.</translation>
    </message>
    <message>
        <source>Save Cancelled</source>
        <translation>Enregistrement annulé</translation>
    </message>
    <message>
        <source>Push Cancelled</source>
        <translation>Publication annulée</translation>
    </message>
    <message>
        <source>Retry to start again, or go Back to change your choices.</source>
        <translation>Cliquez sur Réessayer pour relancer, ou revenez en arrière (Précédent) pour modifier vos choix.</translation>
    </message>
    <message numerus="yes">
        <source>Combining %n image(s) into %1</source>
        <translation>
            <numerusform>Réunion de %n image dans %1</numerusform>
            <numerusform>Réunion de %n images dans %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::ShareReviewPage</name>
    <message>
        <source>Review</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <source>Check what will happen, then push.</source>
        <translation>Vérifiez ce qui va se passer, puis publiez.</translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation>Pu&amp;blier</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <source>Tag %1 as %2</source>
        <translation>Taguer %1 sous le nom %2</translation>
    </message>
    <message>
        <source>Push %1</source>
        <translation>Publier %1</translation>
    </message>
    <message>
        <source>Will push to %1 without a login.</source>
        <translation>Vous publierez sur %1 sans connexion.</translation>
    </message>
    <message>
        <source>Will push to %1 as %2.</source>
        <translation>Vous publierez sur %1 en tant que %2.</translation>
    </message>
</context>
<context>
    <name>Berth::ShareWizard</name>
    <message>
        <source>Share Images</source>
        <translation>Partager des images</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>Stops the transfer (Esc)</source>
        <translation>Arrête le transfert (Échap)</translation>
    </message>
    <message>
        <source>Docker Hub (docker.io)</source>
        <translation>Docker Hub (docker.io)</translation>
    </message>
</context>
<context>
    <name>Berth::TagActions</name>
    <message>
        <source>&amp;Delete Image…</source>
        <translation>&amp;Supprimer l&apos;image…</translation>
    </message>
    <message>
        <source>&amp;Remove Tag…</source>
        <translation>&amp;Retirer le tag…</translation>
    </message>
    <message>
        <source>Copy &amp;to…</source>
        <translation>Copier &amp;vers…</translation>
    </message>
    <message>
        <source>Not available here.</source>
        <translation>Non disponible ici.</translation>
    </message>
    <message>
        <source>Choose a tag first.</source>
        <translation>Choisissez d&apos;abord un tag.</translation>
    </message>
    <message>
        <source>Docker Hub deletes only for the repository&apos;s owner: log in to Docker Hub first (Registries page).</source>
        <translation>Docker Hub ne supprime que pour le propriétaire du dépôt : connectez-vous d&apos;abord à Docker Hub (page Registres).</translation>
    </message>
    <message>
        <source>Delete this image and every tag that points at it from the registry (Del)</source>
        <translation>Supprimer du registre cette image et chaque tag qui pointe vers elle (Suppr)</translation>
    </message>
    <message>
        <source>Remove only this tag; the image and its other tags stay (Shift+Del)</source>
        <translation>Retirer seulement ce tag ; l&apos;image et ses autres tags restent (Maj+Suppr)</translation>
    </message>
    <message>
        <source>Copy this image to another repository or registry (Ctrl+Shift+C)</source>
        <translation>Copier cette image vers un autre dépôt ou registre (Ctrl+Maj+C)</translation>
    </message>
</context>
<context>
    <name>Berth::TagCompareView</name>
    <message>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message numerus="yes">
        <source>%n variable(s)</source>
        <translation>
            <numerusform>%n variable</numerusform>
            <numerusform>%n variables</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n port(s)</source>
        <translation>
            <numerusform>%n port</numerusform>
            <numerusform>%n ports</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n label(s)</source>
        <translation>
            <numerusform>%n label</numerusform>
            <numerusform>%n labels</numerusform>
        </translation>
    </message>
    <message>
        <source>Layers side by side</source>
        <translation>Couches côte à côte</translation>
    </message>
    <message>
        <source>Settings side by side</source>
        <translation>Paramètres côte à côte</translation>
    </message>
    <message>
        <source>Only di&amp;fferences</source>
        <translation>Uniquement les di&amp;fférences</translation>
    </message>
    <message>
        <source>Size per platform</source>
        <translation>Taille par plateforme</translation>
    </message>
    <message>
        <source>Comparison of two tags</source>
        <translation>Comparaison de deux tags</translation>
    </message>
    <message>
        <source>Comparison error</source>
        <translation>Erreur de comparaison</translation>
    </message>
    <message>
        <source>Comparison summary</source>
        <translation>Résumé de la comparaison</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Paramètre</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Différence</translation>
    </message>
    <message>
        <source>Comparison sections</source>
        <translation>Sections de la comparaison</translation>
    </message>
    <message>
        <source>La&amp;yers</source>
        <translation>Co&amp;uches</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>Si&amp;ze per platform</source>
        <translation>Ta&amp;ille par plateforme</translation>
    </message>
    <message>
        <source>Tag compared</source>
        <translation>Tag comparé</translation>
    </message>
    <message>
        <source>Tag to compare with</source>
        <translation>Tag avec lequel comparer</translation>
    </message>
    <message>
        <source>Type or pick the tag to compare with</source>
        <translation>Tapez ou choisissez le tag avec lequel comparer</translation>
    </message>
    <message>
        <source>Choose a tag</source>
        <translation>Choisissez un tag</translation>
    </message>
    <message>
        <source>Platform compared</source>
        <translation>Plateforme comparée</translation>
    </message>
    <message>
        <source>compared &amp;with</source>
        <translation>comparé a&amp;vec</translation>
    </message>
    <message>
        <source>Pl&amp;atform:</source>
        <translation>Plat&amp;eforme :</translation>
    </message>
    <message>
        <source>Show only the settings that differ</source>
        <translation>Afficher uniquement les paramètres qui diffèrent</translation>
    </message>
    <message>
        <source>No tag selected</source>
        <translation>Aucun tag sélectionné</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Par défaut</translation>
    </message>
    <message>
        <source>Comparing %1 and %2…</source>
        <translation>Comparaison de %1 et %2…</translation>
    </message>
    <message>
        <source>Select two tags (Ctrl+click) to compare them side by side, or choose above the tag to compare with.</source>
        <translation>Sélectionnez deux tags (Ctrl+clic) pour les comparer côte à côte, ou choisissez ci-dessus le tag avec lequel comparer.</translation>
    </message>
    <message>
        <source>Choose a tag other than %1 to compare with.</source>
        <translation>Choisissez un tag autre que %1 pour la comparaison.</translation>
    </message>
    <message>
        <source>Berth could not compare %1 and %2: %3</source>
        <translation>Berth n&apos;a pas pu comparer %1 et %2 : %3</translation>
    </message>
    <message numerus="yes">
        <source>On %1, %2 and %3 share %n layer(s) (%4).</source>
        <translation>
            <numerusform>Sur %1, %2 et %3 partagent %n couche (%4).</numerusform>
            <numerusform>Sur %1, %2 et %3 partagent %n couches (%4).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is %2 larger (%3).</source>
        <translation>%1 pèse %2 de plus (%3).</translation>
    </message>
    <message>
        <source>%1 is %2 smaller (%3).</source>
        <translation>%1 pèse %2 de moins (%3).</translation>
    </message>
    <message>
        <source>Both are %1.</source>
        <translation>Les deux pèsent %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n setting(s) differ.</source>
        <translation>
            <numerusform>%n paramètre diffère.</numerusform>
            <numerusform>%n paramètres diffèrent.</numerusform>
        </translation>
    </message>
    <message>
        <source>Their settings are the same.</source>
        <translation>Leurs paramètres sont identiques.</translation>
    </message>
    <message>
        <source>%1 layer</source>
        <translation>Couche de %1</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>Partagée</translation>
    </message>
    <message>
        <source>Only in %1</source>
        <translation>Uniquement dans %1</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>(non défini)</translation>
    </message>
    <message>
        <source>Not offered</source>
        <translation>Non disponible</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Inconnue</translation>
    </message>
    <message>
        <source>Same</source>
        <translation>Identique</translation>
    </message>
    <message>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
    <message>
        <source>−%1</source>
        <translation>−%1</translation>
    </message>
    <message>
        <source>F&amp;iles</source>
        <translation>F&amp;ichiers</translation>
    </message>
</context>
<context>
    <name>Berth::TagComparer</name>
    <message>
        <source>%1 holds no image.</source>
        <translation>%1 ne contient aucune image.</translation>
    </message>
</context>
<context>
    <name>Berth::TagDialog</name>
    <message>
        <source>Tag Image</source>
        <translation>Taguer l&apos;image</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>e.g. jean/mon-app:1.0.0</source>
        <translation>par ex. jean/mon-app:1.0.0</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>Nouveau nom</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>Image :</translation>
    </message>
    <message>
        <source>&amp;New name:</source>
        <translation>&amp;Nouveau nom :</translation>
    </message>
    <message>
        <source>&amp;Tag</source>
        <translation>&amp;Taguer</translation>
    </message>
    <message>
        <source>Type a repository and a tag: [registry/]name[:tag]. Without a tag, &apos;latest&apos; is used.</source>
        <translation>Tapez un dépôt et un tag : [registre/]nom[:tag]. Sans tag, &apos;latest&apos; est utilisé.</translation>
    </message>
    <message>
        <source>A new name cannot hold a digest: a digest names content, it cannot be given. Use a tag such as :1.0.0.</source>
        <translation>Un nouveau nom ne peut pas contenir d&apos;empreinte : une empreinte désigne un contenu, elle ne peut pas être attribuée. Utilisez un tag comme :1.0.0.</translation>
    </message>
    <message>
        <source>Full name: %1</source>
        <translation>Nom complet : %1</translation>
    </message>
    <message>
        <source>The image store is closed: the image cannot be tagged.</source>
        <translation>Le magasin d&apos;images est fermé : impossible de taguer l&apos;image.</translation>
    </message>
</context>
<context>
    <name>Berth::TagFilesComparer</name>
    <message>
        <source>%1 and %2 hold the same files.</source>
        <translation>%1 et %2 contiennent les mêmes fichiers.</translation>
    </message>
    <message>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
    <message>
        <source>−%1</source>
        <translation>−%1</translation>
    </message>
    <message>
        <source>same size</source>
        <translation>même taille</translation>
    </message>
    <message>
        <source>%1, %2, %3 · %4</source>
        <extracomment>&quot;312 added, 40 changed, 12 deleted · +18 MB&quot;</extracomment>
        <translation>%1, %2, %3 · %4</translation>
    </message>
    <message numerus="yes">
        <source>%n added</source>
        <translation>
            <numerusform>%n ajouté</numerusform>
            <numerusform>%n ajoutés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n changed</source>
        <translation>
            <numerusform>%n modifié</numerusform>
            <numerusform>%n modifiés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n deleted</source>
        <translation>
            <numerusform>%n supprimé</numerusform>
            <numerusform>%n supprimés</numerusform>
        </translation>
    </message>
    <message>
        <source>Compare the files of %1 and %2</source>
        <translation>Comparer les fichiers de %1 et %2</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>No registry client to read the images with.</source>
        <translation>Aucun client de registre pour lire les images.</translation>
    </message>
    <message>
        <source>Berth could not read the files of %1: %2</source>
        <translation>Berth n&apos;a pas pu lire les fichiers de %1 : %2</translation>
    </message>
</context>
<context>
    <name>Berth::TagGroupsModel</name>
    <message>
        <source>Berth cannot list the tags of %1 here.</source>
        <translation>Berth ne peut pas lister ici les tags de %1.</translation>
    </message>
    <message>
        <source>Image with tags %1</source>
        <translation>Image avec les tags %1</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>Plateformes</translation>
    </message>
    <message>
        <source>Compressed size</source>
        <translation>Taille compressée</translation>
    </message>
    <message>
        <source>Last pushed</source>
        <translation>Dernière publication</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>Empreinte</translation>
    </message>
    <message>
        <source>Berth looked up the digests of the first %1 tags only; these tags may point at any image.</source>
        <translation>Berth n&apos;a recherché les empreintes que des %1 premiers tags ; ces tags peuvent désigner n&apos;importe quelle image.</translation>
    </message>
    <message>
        <source>Digest unknown</source>
        <translation>Empreinte inconnue</translation>
    </message>
</context>
<context>
    <name>Berth::TagGroupsView</name>
    <message>
        <source>Filter tags</source>
        <translation>Filtrer les tags</translation>
    </message>
    <message>
        <source>Tags grouped by image</source>
        <translation>Tags regroupés par image</translation>
    </message>
    <message>
        <source>Tag count</source>
        <translation>Nombre de tags</translation>
    </message>
    <message>
        <source>Loading tags… (%1 of %2)</source>
        <translation>Chargement des tags… (%1 sur %2)</translation>
    </message>
    <message>
        <source>Loading tags…</source>
        <translation>Chargement des tags…</translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s)</source>
        <translation>
            <numerusform>%n tag</numerusform>
            <numerusform>%n tags</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) match, of %1</source>
        <translation>
            <numerusform>%n image correspond, sur %1</numerusform>
            <numerusform>%n images correspondent, sur %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::TransferIndicator</name>
    <message>
        <source>Show or hide the Transfers panel</source>
        <translation>Afficher ou masquer le panneau Transferts</translation>
    </message>
    <message>
        <source>Progress of the running transfers</source>
        <translation>Progression des transferts en cours</translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) running</source>
        <translation>
            <numerusform>%n transfert en cours</numerusform>
            <numerusform>%n transferts en cours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) failed</source>
        <translation>
            <numerusform>%n transfert a échoué</numerusform>
            <numerusform>%n transferts ont échoué</numerusform>
        </translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>Transferts</translation>
    </message>
</context>
<context>
    <name>Berth::TransferJob</name>
    <message>
        <source>Waiting to start</source>
        <translation>En attente de démarrage</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Téléchargement</translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation>Envoi</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>Écriture</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Pull</source>
        <translation>Téléchargement</translation>
    </message>
    <message>
        <source>Push</source>
        <translation>Publication</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrement</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Chargement</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En file d&apos;attente</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Transferring</source>
        <translation>Transfert</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <source>Already there</source>
        <translation>Déjà présente</translation>
    </message>
    <message>
        <source>Mounted</source>
        <translation>Montée depuis un autre dépôt</translation>
    </message>
    <message>
        <source>No image store is open: choose Docker, Podman or the embedded store in Settings.</source>
        <translation>Aucun magasin d&apos;images n&apos;est ouvert : choisissez Docker, Podman ou le magasin intégré dans les Paramètres.</translation>
    </message>
    <message>
        <source>The image store was closed before this job finished. Retry to run it again.</source>
        <translation>Le magasin d&apos;images a été fermé avant la fin de cette tâche. Cliquez sur Réessayer pour la relancer.</translation>
    </message>
    <message>
        <source>Look inside</source>
        <translation>Examen</translation>
    </message>
    <message>
        <source>Save files</source>
        <translation>Enregistrement de fichiers</translation>
    </message>
    <message>
        <source>Copying</source>
        <translation>Copie</translation>
    </message>
    <message>
        <source>Deleting</source>
        <translation>Suppression</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copie</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Suppression</translation>
    </message>
</context>
<context>
    <name>Berth::TransferManager</name>
    <message>
        <source>Pull %1</source>
        <translation>Téléchargement de %1</translation>
    </message>
    <message>
        <source>%1 is up to date</source>
        <translation>%1 est à jour</translation>
    </message>
    <message numerus="yes">
        <source>Downloaded %n layer(s), %1</source>
        <translation>
            <numerusform>%n couche téléchargée, %1</numerusform>
            <numerusform>%n couches téléchargées, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Push %1</source>
        <translation>Publication de %1</translation>
    </message>
    <message>
        <source>The registry already had every layer of %1</source>
        <translation>Le registre avait déjà toutes les couches de %1</translation>
    </message>
    <message numerus="yes">
        <source>Uploaded %n layer(s), %1</source>
        <translation>
            <numerusform>%n couche envoyée, %1</numerusform>
            <numerusform>%n couches envoyées, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Save %1 to %2</source>
        <translation>Enregistrement de %1 dans %2</translation>
    </message>
    <message numerus="yes">
        <source>Save %n image(s) to %1</source>
        <translation>
            <numerusform>Enregistrement de %n image dans %1</numerusform>
            <numerusform>Enregistrement de %n images dans %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrote %1 (%2)</source>
        <translation>%1 écrit (%2)</translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation>Chargement de %1</translation>
    </message>
    <message>
        <source>The archive held no image</source>
        <translation>L&apos;archive ne contenait aucune image</translation>
    </message>
    <message>
        <source>Loaded %1</source>
        <translation>Chargé : %1</translation>
    </message>
    <message>
        <source>Export %1 to %2</source>
        <translation>Export de %1 dans %2</translation>
    </message>
    <message>
        <source>Import %1 as %2</source>
        <translation>Import de %1 sous le nom %2</translation>
    </message>
    <message>
        <source>Import %1</source>
        <translation>Import de %1</translation>
    </message>
    <message>
        <source>Imported %1</source>
        <translation>Importé : %1</translation>
    </message>
    <message>
        <source>Could not name %1 %2: %3</source>
        <translation>Impossible de taguer %1 sous le nom %2 : %3</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>The image store closed before %1 was pushed.</source>
        <translation>Le magasin d&apos;images a été fermé avant la publication de %1.</translation>
    </message>
    <message>
        <source>Reading the image&apos;s manifest</source>
        <translation>Lecture du manifeste de l&apos;image</translation>
    </message>
    <message>
        <source>Listing the files of each layer</source>
        <translation>Liste des fichiers de chaque couche</translation>
    </message>
    <message>
        <source>Putting the layers together</source>
        <translation>Assemblage des couches</translation>
    </message>
    <message numerus="yes">
        <source>%n path(s)</source>
        <translation>
            <numerusform>%n chemin</numerusform>
            <numerusform>%n chemins</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, every layer already indexed</source>
        <translation>%1, toutes les couches déjà indexées</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n layer(s) indexed (%2 read)</source>
        <translation>
            <numerusform>%1, %n couche indexée (%2 lus)</numerusform>
            <numerusform>%1, %n couches indexées (%2 lus)</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 écrit</translation>
    </message>
    <message>
        <source>Look inside %1</source>
        <translation>Examen de %1</translation>
    </message>
    <message>
        <source>Push the multi-platform image %1</source>
        <translation>Publier l&apos;image multi-plateforme %1</translation>
    </message>
    <message>
        <source>The registry connection closed before %1 was pushed.</source>
        <translation>La connexion au registre s&apos;est fermée avant que %1 soit publiée.</translation>
    </message>
    <message numerus="yes">
        <source>Pushed %1 (%n platform(s)) as %2</source>
        <translation>
            <numerusform>%1 publiée (%n plateforme) sous %2</numerusform>
            <numerusform>%1 publiée (%n plateformes) sous %2</numerusform>
        </translation>
    </message>
    <message>
        <source>The registry connection was closed before %1 was done. Retry to run it again.</source>
        <translation>La connexion au registre a été fermée avant la fin de %1. Réessayez pour le relancer.</translation>
    </message>
    <message>
        <source>Deleted %1</source>
        <translation>Supprimé : %1</translation>
    </message>
    <message numerus="yes">
        <source>Deleted the image and its %n tag(s)</source>
        <translation>
            <numerusform>Image supprimée avec son tag (%n)</numerusform>
            <numerusform>Image supprimée avec ses %n tags</numerusform>
        </translation>
    </message>
    <message>
        <source>Removed %1; the image has no other tag</source>
        <translation>%1 retiré ; l&apos;image n&apos;a pas d&apos;autre tag</translation>
    </message>
    <message numerus="yes">
        <source>Removed %1; %n other tag(s) still point at the image</source>
        <translation>
            <numerusform>%1 retiré ; %n autre tag pointe encore vers l&apos;image</numerusform>
            <numerusform>%1 retiré ; %n autres tags pointent encore vers l&apos;image</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n blob(s), %1</source>
        <translation>
            <numerusform>%n blob copié, %1</numerusform>
            <numerusform>%n blobs copiés, %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1; %n already there or mounted</source>
        <translation>
            <numerusform>%1 ; %n déjà présent ou monté</numerusform>
            <numerusform>%1 ; %n déjà présents ou montés</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>Supprimer %1</translation>
    </message>
    <message>
        <source>Remove tag %1</source>
        <translation>Retirer le tag %1</translation>
    </message>
    <message>
        <source>Copy %1 to %2</source>
        <translation>Copier %1 vers %2</translation>
    </message>
</context>
<context>
    <name>Berth::TransfersDock</name>
    <message>
        <source>Transfers</source>
        <translation>Transferts</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <source>Show in &amp;Folder</source>
        <translation>Afficher dans le &amp;dossier</translation>
    </message>
    <message>
        <source>C&amp;lear Finished</source>
        <translation>&amp;Effacer les terminés</translation>
    </message>
    <message>
        <source>Stop the selected transfer (Esc)</source>
        <translation>Arrêter le transfert sélectionné (Échap)</translation>
    </message>
    <message>
        <source>Run the selected transfer again</source>
        <translation>Relancer le transfert sélectionné</translation>
    </message>
    <message>
        <source>Open the folder holding the file this transfer wrote</source>
        <translation>Ouvrir le dossier contenant le fichier écrit par ce transfert</translation>
    </message>
    <message>
        <source>Remove finished transfers from the list</source>
        <translation>Retirer de la liste les transferts terminés</translation>
    </message>
    <message>
        <source>Transfer actions</source>
        <translation>Actions sur les transferts</translation>
    </message>
    <message numerus="yes">
        <source>Transfers (%n active)</source>
        <translation>
            <numerusform>Transferts (%n actif)</numerusform>
            <numerusform>Transferts (%n actifs)</numerusform>
        </translation>
    </message>
    <message>
        <source>Copy &amp;Details</source>
        <translation>Copier les dé&amp;tails</translation>
    </message>
    <message>
        <source>Copy what went wrong, as the engine or registry said it, for a bug report</source>
        <translation>Copier l&apos;erreur, telle que le moteur ou le registre l&apos;a formulée, pour un rapport de bogue</translation>
    </message>
</context>
<context>
    <name>Berth::TransfersModel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>%1, progress unknown</source>
        <translation>%1, progression inconnue</translation>
    </message>
    <message>
        <source>%1, %2 percent</source>
        <translation>%1, %2 pour cent</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transfert</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Vitesse</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>%1

Details: %2</source>
        <translation>%1

Détails : %2</translation>
    </message>
</context>
<context>
    <name>Berth::UserGuideWindow</name>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Retour</translation>
    </message>
    <message>
        <source>Berth User Guide</source>
        <translation>Guide de l&apos;utilisateur de Berth</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>Guide de l&apos;utilisateur</translation>
    </message>
    <message>
        <source>Back to where you were (Alt+Left)</source>
        <translation>Revenir où vous étiez (Alt+Gauche)</translation>
    </message>
    <message>
        <source>&amp;Contents</source>
        <translation>&amp;Sommaire</translation>
    </message>
    <message>
        <source>Back to the start of the guide</source>
        <translation>Revenir au début du guide</translation>
    </message>
</context>
<context>
    <name>ErrorAdvice</name>
    <message>
        <source>the image</source>
        <translation>l&apos;image</translation>
    </message>
    <message>
        <source>The registry</source>
        <translation>Le registre</translation>
    </message>
    <message>
        <source>the registry</source>
        <translation>ce registre</translation>
    </message>
    <message>
        <source>The disk is full: %1 could not be finished.</source>
        <translation>Le disque est plein : l&apos;opération sur %1 n&apos;a pas pu aboutir.</translation>
    </message>
    <message>
        <source>Free some space, for example by removing images you no longer use, then try again.</source>
        <translation>Libérez de l&apos;espace, par exemple en supprimant des images que vous n&apos;utilisez plus, puis réessayez.</translation>
    </message>
    <message>
        <source>Berth is not allowed to use the container engine&apos;s socket.</source>
        <translation>Berth n&apos;a pas le droit d&apos;utiliser le socket du moteur de conteneurs.</translation>
    </message>
    <message>
        <source>Add your account to the docker group and log in again, or choose Podman or Berth&apos;s own image store in Settings.</source>
        <translation>Ajoutez votre compte au groupe docker puis rouvrez votre session, ou choisissez Podman ou le magasin d&apos;images propre à Berth dans les Paramètres.</translation>
    </message>
    <message>
        <source>%1 is used by a container, so it was not removed.</source>
        <translation>%1 est utilisée par un conteneur : elle n&apos;a donc pas été supprimée.</translation>
    </message>
    <message numerus="yes">
        <source>%1 is used by the container(s) %2, so it was not removed.</source>
        <translation>
            <numerusform>%1 est utilisée par le conteneur %2 : elle n&apos;a donc pas été supprimée.</numerusform>
            <numerusform>%1 est utilisée par les conteneurs %2 : elle n&apos;a donc pas été supprimée.</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove the containers that use it first, then remove the image.</source>
        <translation>Supprimez d&apos;abord les conteneurs qui l&apos;utilisent, puis supprimez l&apos;image.</translation>
    </message>
    <message>
        <source>The container engine has no image %1.</source>
        <translation>Le moteur de conteneurs n&apos;a pas d&apos;image %1.</translation>
    </message>
    <message>
        <source>Refresh the Images page: it may have been removed meanwhile.</source>
        <translation>Actualisez la page Images : l&apos;image a peut-être été supprimée entre-temps.</translation>
    </message>
    <message>
        <source>The container %1 no longer exists.</source>
        <translation>Le conteneur %1 n&apos;existe plus.</translation>
    </message>
    <message>
        <source>Refresh the Containers page.</source>
        <translation>Actualisez la page Conteneurs.</translation>
    </message>
    <message>
        <source>%1 has no image %2: that tag does not exist.</source>
        <translation>%1 n&apos;a pas d&apos;image %2 : ce tag n&apos;existe pas.</translation>
    </message>
    <message>
        <source>Check the tag on the repository&apos;s page in Explore.</source>
        <translation>Vérifiez le tag sur la page du dépôt dans Explorer.</translation>
    </message>
    <message>
        <source>This archive</source>
        <translation>Cette archive</translation>
    </message>
    <message>
        <source>%1 is a filesystem archive (from docker export), not an image archive.</source>
        <translation>%1 est une archive de système de fichiers (issue de docker export), et non une archive d&apos;images.</translation>
    </message>
    <message>
        <source>%1 looks like a filesystem archive (from docker export), not an image archive.</source>
        <translation>%1 semble être une archive de système de fichiers (issue de docker export), et non une archive d&apos;images.</translation>
    </message>
    <message>
        <source>%1 is not an image archive the engine can read: it may be a filesystem archive (from docker export).</source>
        <translation>%1 n&apos;est pas une archive d&apos;images lisible par le moteur : il s&apos;agit peut-être d&apos;une archive de système de fichiers (issue de docker export).</translation>
    </message>
    <message>
        <source>Import it as a new image instead?</source>
        <translation>L&apos;importer plutôt comme nouvelle image ?</translation>
    </message>
    <message>
        <source>Check that there is free space and that you may write there, then try again.</source>
        <translation>Vérifiez qu&apos;il reste de l&apos;espace libre et que vous avez le droit d&apos;y écrire, puis réessayez.</translation>
    </message>
    <message>
        <source>Unlock the system keychain, or log in for this session only.</source>
        <translation>Déverrouillez le trousseau du système, ou connectez-vous pour cette session uniquement.</translation>
    </message>
    <message>
        <source>Berth cannot do this with this image or archive.</source>
        <translation>Berth ne peut pas effectuer cette opération avec cette image ou cette archive.</translation>
    </message>
    <message>
        <source>Choose another archive, or make it again with docker save or Berth.</source>
        <translation>Choisissez une autre archive, ou recréez-la avec docker save ou Berth.</translation>
    </message>
    <message>
        <source>Check the archive, then import it again.</source>
        <translation>Vérifiez l&apos;archive, puis importez-la à nouveau.</translation>
    </message>
    <message>
        <source>Choose another file, then try again.</source>
        <translation>Choisissez un autre fichier, puis réessayez.</translation>
    </message>
    <message>
        <source>Check what was asked, then try again.</source>
        <translation>Vérifiez ce qui a été demandé, puis réessayez.</translation>
    </message>
    <message>
        <source>%1 was not found on %2.</source>
        <translation>Introuvable sur %2 : %1.</translation>
    </message>
    <message>
        <source>Check the name and the tag: the tag may have been deleted.</source>
        <translation>Vérifiez le nom et le tag : le tag a peut-être été supprimé.</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 n&apos;existe pas.</translation>
    </message>
    <message>
        <source>Check the path, or choose the file again.</source>
        <translation>Vérifiez le chemin, ou choisissez à nouveau le fichier.</translation>
    </message>
    <message>
        <source>%1 is not here any more.</source>
        <translation>%1 n&apos;existe plus.</translation>
    </message>
    <message>
        <source>Refresh the list: it may have been removed meanwhile.</source>
        <translation>Actualisez la liste : l&apos;élément a peut-être été supprimé entre-temps.</translation>
    </message>
    <message>
        <source>%1 limits how many requests an address may make, and this computer reached the limit.</source>
        <translation>%1 limite le nombre de requêtes par adresse, et cet ordinateur a atteint la limite.</translation>
    </message>
    <message numerus="yes">
        <source>Wait %n minute(s), or log in to %1 to raise the limit, then try again.</source>
        <translation>
            <numerusform>Patientez %n minute, ou connectez-vous à %1 pour relever la limite, puis réessayez.</numerusform>
            <numerusform>Patientez %n minutes, ou connectez-vous à %1 pour relever la limite, puis réessayez.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wait a while, or log in to %1 to raise the limit, then try again.</source>
        <translation>Patientez un moment, ou connectez-vous à %1 pour relever la limite, puis réessayez.</translation>
    </message>
    <message>
        <source>%1 asks you to log in before you can use %2.</source>
        <translation>%1 vous demande de vous connecter pour utiliser %2.</translation>
    </message>
    <message>
        <source>Log in to %1, then try again.</source>
        <translation>Connectez-vous à %1, puis réessayez.</translation>
    </message>
    <message>
        <source>%1 refused access to %2.</source>
        <translation>%1 a refusé l&apos;accès à %2.</translation>
    </message>
    <message>
        <source>Check the repository&apos;s name, or log in to %1 with an account that may use it.</source>
        <translation>Vérifiez le nom du dépôt, ou connectez-vous à %1 avec un compte autorisé à l&apos;utiliser.</translation>
    </message>
    <message>
        <source>The secure connection to %1 failed.</source>
        <translation>La connexion sécurisée à %1 a échoué.</translation>
    </message>
    <message>
        <source>Berth cannot reach the container engine.</source>
        <translation>Berth ne parvient pas à joindre le moteur de conteneurs.</translation>
    </message>
    <message>
        <source>Start Docker or Podman, or choose where images are kept in Settings.</source>
        <translation>Démarrez Docker ou Podman, ou choisissez où stocker les images dans les Paramètres.</translation>
    </message>
    <message>
        <source>Berth could not reach %1.</source>
        <translation>Berth n&apos;a pas pu joindre %1.</translation>
    </message>
    <message>
        <source>Check your connection and that %1 is running, then try again.</source>
        <translation>Vérifiez votre connexion et que %1 fonctionne, puis réessayez.</translation>
    </message>
    <message>
        <source>The container engine could not finish with %1.</source>
        <translation>Le moteur de conteneurs n&apos;a pas pu terminer l&apos;opération sur %1.</translation>
    </message>
    <message>
        <source>%1 had a problem and could not answer.</source>
        <translation>%1 a rencontré un problème et n&apos;a pas pu répondre.</translation>
    </message>
    <message>
        <source>Try again in a few minutes; Copy Details shows what it said.</source>
        <translation>Réessayez dans quelques minutes ; « Copier les détails » montre sa réponse.</translation>
    </message>
    <message>
        <source>%1 answered something a registry does not answer.</source>
        <translation>%1 a envoyé une réponse qu&apos;un registre n&apos;envoie pas.</translation>
    </message>
    <message>
        <source>Check the address of %1 in Settings.</source>
        <translation>Vérifiez l&apos;adresse de %1 dans les Paramètres.</translation>
    </message>
    <message>
        <source>What Berth received for %1 does not match its digest: it was damaged on the way, or altered.</source>
        <translation>Ce que Berth a reçu pour %1 ne correspond pas à son empreinte : les données ont été endommagées en route, ou modifiées.</translation>
    </message>
    <message>
        <source>Try again; if it fails again, the source itself is damaged.</source>
        <translation>Réessayez ; si l&apos;échec se reproduit, c&apos;est la source elle-même qui est endommagée.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>Something went wrong with %1.</source>
        <translation>Un problème est survenu avec %1.</translation>
    </message>
    <message>
        <source>Try Again</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Log In…</source>
        <translation>Se connecter…</translation>
    </message>
    <message>
        <source>Open Settings…</source>
        <translation>Ouvrir les Paramètres…</translation>
    </message>
    <message>
        <source>Show Containers</source>
        <translation>Afficher les conteneurs</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importer…</translation>
    </message>
    <message>
        <source>Check your internet connection, or the Docker Hub address in Settings, then try again.</source>
        <translation>Vérifiez votre connexion internet, ou l&apos;adresse de Docker Hub dans les Paramètres, puis réessayez.</translation>
    </message>
    <message>
        <source>Docker Hub limits how many requests an address may make; wait a moment, or log in to Docker Hub, then try again.</source>
        <translation>Docker Hub limite le nombre de requêtes par adresse ; patientez un moment, ou connectez-vous à Docker Hub, puis réessayez.</translation>
    </message>
    <message>
        <source>Docker Hub is having trouble; try again in a few minutes.</source>
        <translation>Docker Hub rencontre des difficultés ; réessayez dans quelques minutes.</translation>
    </message>
    <message>
        <source>Check that the Docker Hub address in Settings points at Docker Hub.</source>
        <translation>Vérifiez que l&apos;adresse de Docker Hub dans les Paramètres pointe bien vers Docker Hub.</translation>
    </message>
    <message>
        <source>Check the repository name; search for it on the Explore page.</source>
        <translation>Vérifiez le nom du dépôt ; recherchez-le sur la page Explorer.</translation>
    </message>
    <message>
        <source>Refine the search to find other repositories.</source>
        <translation>Affinez la recherche pour trouver d&apos;autres dépôts.</translation>
    </message>
    <message>
        <source>Try again in a moment.</source>
        <translation>Réessayez dans un moment.</translation>
    </message>
    <message>
        <source>Check that %1 is running and reachable from this computer, then try again.</source>
        <translation>Vérifiez que %1 fonctionne et est joignable depuis cet ordinateur, puis réessayez.</translation>
    </message>
    <message>
        <source>Log in to %1 with an account that may read this repository.</source>
        <translation>Connectez-vous à %1 avec un compte autorisé à lire ce dépôt.</translation>
    </message>
    <message>
        <source>Check the name; the tag or repository may have been deleted.</source>
        <translation>Vérifiez le nom ; le tag ou le dépôt a peut-être été supprimé.</translation>
    </message>
    <message>
        <source>%1 limits how many requests an address may make; wait a moment, or log in, then try again.</source>
        <translation>%1 limite le nombre de requêtes par adresse ; patientez un moment, ou connectez-vous, puis réessayez.</translation>
    </message>
    <message>
        <source>%1 is having trouble; try again in a few minutes.</source>
        <translation>%1 rencontre des difficultés ; réessayez dans quelques minutes.</translation>
    </message>
    <message>
        <source>%1 does not let this account delete %2.</source>
        <translation>%1 ne permet pas à ce compte de supprimer %2.</translation>
    </message>
    <message>
        <source>Log in to %1 with an account that may delete there, or ask the registry&apos;s administrator.</source>
        <translation>Connectez-vous à %1 avec un compte autorisé à y supprimer, ou demandez à l&apos;administrateur du registre.</translation>
    </message>
    <message>
        <source>If its certificate comes from your company&apos;s CA, put the CA file in ~/.config/containers/certs.d/%1/ca.crt (the details say what is wrong). If %1 is yours and you trust this network, allow plain HTTP for it in Settings.</source>
        <translation>Si son certificat vient de l&apos;autorité de certification de votre entreprise, placez le fichier de l&apos;autorité dans ~/.config/containers/certs.d/%1/ca.crt (les détails disent ce qui ne va pas). Si %1 est à vous et que vous faites confiance à ce réseau, autorisez le HTTP simple pour lui dans les Paramètres.</translation>
    </message>
    <message>
        <source>If its certificate comes from your company&apos;s CA, put the CA file in ~/.config/containers/certs.d/%1/ca.crt; if you trust this network, allow plain HTTP for %1 in Settings.</source>
        <translation>Si son certificat vient de l&apos;autorité de certification de votre entreprise, placez le fichier de l&apos;autorité dans ~/.config/containers/certs.d/%1/ca.crt ; si vous faites confiance à ce réseau, autorisez le HTTP simple pour %1 dans les Paramètres.</translation>
    </message>
</context>
<context>
    <name>PullStatus</name>
    <message>
        <source>Pulling %1…</source>
        <translation>Téléchargement de %1…</translation>
    </message>
    <message>
        <source>Pulled %1.</source>
        <translation>%1 téléchargée.</translation>
    </message>
    <message>
        <source>Pull of %1 cancelled.</source>
        <translation>Téléchargement de %1 annulé.</translation>
    </message>
    <message>
        <source>Could not pull %1: %2 has no such image or tag. Check the tag; it may have been deleted.</source>
        <translation>Impossible de télécharger %1 : %2 n&apos;a pas cette image ou ce tag. Vérifiez le tag ; il a peut-être été supprimé.</translation>
    </message>
    <message>
        <source>Could not pull %1. %2</source>
        <translation>Impossible de télécharger %1. %2</translation>
    </message>
    <message>
        <source>Could not pull %1: the image backend refused the name or the platform. Check both, then try again.</source>
        <translation>Impossible de télécharger %1 : le backend d&apos;images a refusé le nom ou la plateforme. Vérifiez les deux, puis réessayez.</translation>
    </message>
    <message>
        <source>Could not pull %1: the answer from %2 was not understood. Try again in a moment.</source>
        <translation>Impossible de télécharger %1 : la réponse de %2 n&apos;a pas été comprise. Réessayez dans un moment.</translation>
    </message>
    <message>
        <source>Could not pull %1: %2</source>
        <translation>Impossible de télécharger %1 : %2</translation>
    </message>
    <message>
        <source>Could not pull %1.</source>
        <translation>Impossible de télécharger %1.</translation>
    </message>
</context>
<context>
    <name>QCommandLineParser</name>
    <message>
        <source>Displays help on commandline options.</source>
        <translation>Afficher l&apos;aide sur les options de la ligne de commande.</translation>
    </message>
    <message>
        <source>Displays help including Qt specific options.</source>
        <translation>Afficher l&apos;aide, y compris les options propres à Qt.</translation>
    </message>
</context>
</TS>
