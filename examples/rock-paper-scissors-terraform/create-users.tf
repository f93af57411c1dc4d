# One OVHcloud Public Cloud user per attendee, allowed to run AI Notebooks, AI Training jobs and
# AI Deploy apps and to read and write Object Storage.
#
# A starting point, not the original workshop's file: check every resource and argument against
# the OVHcloud provider's documentation before applying it.
#
# Credentials come from the environment, never from this file:
#   OVH_ENDPOINT (ovh-eu), OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY
#   OVH_CLOUD_PROJECT_SERVICE: the Public Cloud project's id (the project WORKSHOP_101_AI)
#
#   terraform init
#   terraform apply -var="number_of_users=<number of users>"
#   terraform output ai-users

terraform {
  required_providers {
    ovh = {
      source = "ovh/ovh"
    }
  }
}

provider "ovh" {}

variable "number_of_users" {
  description = "How many attendees get a user: attendee 1 to attendee N"
  type        = number
}

variable "service_name" {
  description = "The Public Cloud project's id; empty to read OVH_CLOUD_PROJECT_SERVICE"
  type        = string
  default     = null
}

resource "ovh_cloud_project_user" "attendee" {
  count        = var.number_of_users
  service_name = var.service_name
  description  = "attendee-${count.index + 1}"
  role_names   = ["ai_training_operator", "objectstore_operator"]
}

# Each attendee's user name and password, keyed by the attendee's number ($STUDENT_ID).
output "ai-users" {
  value = {
    for index, user in ovh_cloud_project_user.attendee :
    tostring(index + 1) => {
      username = user.username
      password = user.password
    }
  }
  sensitive = true
}
